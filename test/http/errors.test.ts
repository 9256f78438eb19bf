import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ApiClient, createApiClient } from '../helpers/api-client.js'
import { helloTypebot } from '../helpers/hello-typebot.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { createTestUser, type TestUser } from '../helpers/users.js'

let server: TestServer
let call: ApiClient
let owner: TestUser
let typebotId: string

beforeAll(async () => {
  server = await startTestServer()
  call = createApiClient(server.url)
  owner = await createTestUser(server, 'owner@example.com')
  const imported = await call('POST', '/v1/typebots/import', {
    token: owner.token,
    body: { workspaceId: owner.workspaceId, typebot: helloTypebot },
  })
  typebotId = imported.body.typebot.id
})
afterAll(async () => server.close())

async function readDraft() {
  return (await call('GET', `/v1/typebots/${typebotId}`, { token: owner.token })).body.typebot
}

describe('400 BAD_REQUEST', () => {
  it('answers malformed JSON with BAD_REQUEST', async () => {
    const response = await call('PATCH', `/v1/typebots/${typebotId}`, { token: owner.token, body: '{"typebot": {' })
    expect(response.status).toBe(400)
    expect(response.body).toEqual({ code: 'BAD_REQUEST', message: expect.any(String) })
  })

  it('says what and where for a field of the wrong type', async () => {
    const response = await call('PATCH', `/v1/typebots/${typebotId}`, { token: owner.token, body: { typebot: { name: 42 } } })
    expect(response.status).toBe(400)
    expect(response.body.code).toBe('BAD_REQUEST')
    expect(response.body.issues).toContainEqual({ message: expect.any(String), path: ['typebot', 'name'] })
  })

  it('says which required field is missing', async () => {
    const response = await call('POST', '/v1/typebots/import', { token: owner.token, body: { typebot: helloTypebot } })
    expect(response.status).toBe(400)
    expect(response.body.issues).toContainEqual(expect.objectContaining({ path: ['workspaceId'] }))
  })

  it('refuses an invalid query parameter', async () => {
    const response = await call('GET', `/v1/typebots/${typebotId}/results?limit=0`, { token: owner.token })
    expect(response.status).toBe(400)
    expect(response.body.issues).toContainEqual(expect.objectContaining({ path: ['limit'] }))
  })
})

describe('a refused request changes nothing', () => {
  it('keeps the draft when a PATCH holds a bad block among good fields', async () => {
    const before = await readDraft()
    const groups = [{ id: 'g', title: 'Broken', blocks: [{ id: 'b' }] }]
    const response = await call('PATCH', `/v1/typebots/${typebotId}`, {
      token: owner.token,
      body: { typebot: { name: 'Changed', groups } },
    })
    expect(response.status).toBe(400)
    expect(response.body.issues).toContainEqual(expect.objectContaining({ path: ['typebot', 'groups', 0, 'blocks', 0, 'type'] }))
    expect(await readDraft()).toEqual(before)
  })

  it('keeps the draft when a PATCH would remove the start event', async () => {
    const before = await readDraft()
    const response = await call('PATCH', `/v1/typebots/${typebotId}`, { token: owner.token, body: { typebot: { events: [] } } })
    expect(response.status).toBe(400)
    expect(await readDraft()).toEqual(before)
  })

  it('stores nothing for a refused import', async () => {
    const list = async () =>
      (await call('GET', `/v1/typebots?workspaceId=${owner.workspaceId}`, { token: owner.token })).body.typebots.length
    const count = await list()
    const response = await call('POST', '/v1/typebots/import', {
      token: owner.token,
      body: { workspaceId: owner.workspaceId, typebot: { ...helloTypebot, edges: 'nope' } },
    })
    expect(response.status).toBe(400)
    expect(await list()).toBe(count)
  })
})

describe('404 NOT_FOUND', () => {
  it.each([
    ['GET', '/v1/typebots/unknown'],
    ['PATCH', '/v1/typebots/unknown'],
    ['DELETE', '/v1/typebots/unknown'],
    ['POST', '/v1/typebots/unknown/publish'],
    ['GET', '/v1/typebots/unknown/publishedTypebot'],
    ['GET', '/v1/typebots/unknown/results'],
    ['GET', '/v1/workspaces/unknown'],
    ['GET', '/v1/typebots?workspaceId=unknown'],
    ['DELETE', '/v1/users/me/api-tokens/unknown'],
  ])('answers %s %s with 404', async (method, path) => {
    const response = await call(method, path, { token: owner.token, body: method === 'PATCH' ? { typebot: {} } : undefined })
    expect(response.status).toBe(404)
    expect(response.body).toEqual({ code: 'NOT_FOUND', message: expect.any(String) })
  })

  it('answers 404 for a result of another typebot', async () => {
    const response = await call('GET', `/v1/typebots/${typebotId}/results/unknown`, { token: owner.token })
    expect(response.status).toBe(404)
  })
})

describe('413 PAYLOAD_TOO_LARGE', () => {
  let small: TestServer

  beforeAll(async () => {
    small = await startTestServer({ BODY_LIMIT: '1000' })
  })
  afterAll(async () => small.close())

  it('refuses a body over BODY_LIMIT and stores nothing', async () => {
    const user = await createTestUser(small, 'small@example.com')
    const smallCall = createApiClient(small.url)
    const typebot = { ...helloTypebot, name: 'x'.repeat(2000) }
    const response = await smallCall('POST', '/v1/typebots/import', { token: user.token, body: { workspaceId: user.workspaceId, typebot } })
    expect(response.status).toBe(413)
    expect(response.body).toEqual({ code: 'PAYLOAD_TOO_LARGE', message: expect.any(String) })
    const list = await smallCall('GET', `/v1/typebots?workspaceId=${user.workspaceId}`, { token: user.token })
    expect(list.body.typebots).toEqual([])
  })
})
