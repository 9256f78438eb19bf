import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addCollaborator } from '../../src/typebots/add-collaborator.js'
import { addWorkspaceMember } from '../../src/typebots/add-workspace-member.js'
import { type ApiClient, createApiClient } from '../helpers/api-client.js'
import { helloTypebot } from '../helpers/hello-typebot.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { createTestUser, type TestUser } from '../helpers/users.js'

let server: TestServer
let call: ApiClient
let owner: TestUser

beforeAll(async () => {
  server = await startTestServer()
  call = createApiClient(server.url)
  owner = await createTestUser(server, 'owner@example.com')
})
afterAll(async () => server.close())

describe('authentication', () => {
  const protectedRoutes = [
    ['GET', '/v1/workspaces'],
    ['GET', '/v1/typebots?workspaceId=any'],
    ['POST', '/v1/typebots/import'],
    ['PATCH', '/v1/typebots/any'],
    ['GET', '/v1/users/me/api-tokens'],
    ['GET', '/v1/typebots/any/results'],
  ] as const

  it.each(protectedRoutes)('answers 401 UNAUTHORIZED to %s %s without an Authorization header', async (method, path) => {
    const response = await call(method, path, method === 'GET' ? {} : { body: { nonsense: true } })
    expect(response.status).toBe(401)
    expect(response.body).toEqual({ code: 'UNAUTHORIZED', message: expect.any(String) })
  })

  it.each([
    ['an unknown token', 'Bearer bf_unknown'],
    ['another scheme', `Basic ${Buffer.from('a:b').toString('base64')}`],
    ['a bare token', 'bf_unknown'],
  ])('answers 401 for %s', async (_case, authorization) => {
    const response = await call('GET', '/v1/workspaces', { headers: { authorization } })
    expect(response.status).toBe(401)
    expect(response.body.code).toBe('UNAUTHORIZED')
  })

  it('checks the token before the body: an anonymous invalid request gets 401, not 400', async () => {
    const response = await call('POST', '/v1/typebots/import', { body: '{ not json' })
    expect(response.status).toBe(401)
  })

  it('accepts the scheme in any case', async () => {
    const response = await call('GET', '/v1/workspaces', { headers: { authorization: `bearer ${owner.token}` } })
    expect(response.status).toBe(200)
  })
})

describe('token last use', () => {
  it('records when a token was first used, then at most once a minute', async () => {
    const user = await createTestUser(server, 'last-use@example.com')
    const tokenOf = async () => (await server.store.listApiTokens(user.userId))[0]
    expect((await tokenOf())?.lastUsedAt).toBeNull()

    expect((await call('GET', '/v1/workspaces', { token: user.token })).status).toBe(200)
    // Written after the answer, off the request's path.
    let firstUse: string | null | undefined
    for (let tries = 0; !firstUse && tries < 100; tries++) {
      firstUse = (await tokenOf())?.lastUsedAt
      if (!firstUse) await new Promise((resolve) => setTimeout(resolve, 10))
    }
    expect(firstUse).toEqual(expect.any(String))

    expect((await call('GET', '/v1/workspaces', { token: user.token })).status).toBe(200)
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect((await tokenOf())?.lastUsedAt).toBe(firstUse)
  })
})

describe('access to a typebot', () => {
  let typebotId: string
  const tokens: Record<string, string> = {}

  beforeAll(async () => {
    const imported = await call('POST', '/v1/typebots/import', {
      token: owner.token,
      body: { workspaceId: owner.workspaceId, typebot: helloTypebot },
    })
    typebotId = imported.body.typebot.id
    for (const [name, role] of [
      ['member', 'MEMBER'],
      ['guest', 'GUEST'],
    ] as const) {
      const user = await createTestUser(server, `${name}@example.com`)
      await addWorkspaceMember(server.store, { workspaceId: owner.workspaceId, email: user.email, role })
      tokens[name] = user.token
    }
    for (const [name, type] of [
      ['reader', 'READ'],
      ['writer', 'WRITE'],
      ['fullAccess', 'FULL_ACCESS'],
    ] as const) {
      const user = await createTestUser(server, `${name}@example.com`)
      await addCollaborator(server.store, { typebotId, email: user.email, type })
      tokens[name] = user.token
    }
    tokens.outsider = (await createTestUser(server, 'outsider@example.com')).token
    tokens.owner = owner.token
  })

  // [who, status of a read, status of a write, currentUserMode]
  const matrix = [
    ['owner', 200, 200, 'write'],
    ['member', 200, 200, 'write'],
    ['guest', 200, 403, 'guest'],
    ['reader', 200, 403, 'read'],
    ['writer', 200, 200, 'write'],
    ['fullAccess', 200, 200, 'write'],
    ['outsider', 404, 404, undefined],
  ] as const

  it.each(matrix)('%s: read %i, write %i', async (who, readStatus, writeStatus, mode) => {
    const read = await call('GET', `/v1/typebots/${typebotId}`, { token: tokens[who] })
    expect(read.status).toBe(readStatus)
    if (mode) expect(read.body.currentUserMode).toBe(mode)
    // A typebot the caller may not see answers like a missing one.
    else expect(read.body).toEqual({ code: 'NOT_FOUND', message: 'Typebot not found' })
    expect((await call('GET', `/v1/typebots/${typebotId}/collaborators`, { token: tokens[who] })).status).toBe(readStatus)
    expect((await call('GET', `/v1/typebots/${typebotId}/results`, { token: tokens[who] })).status).toBe(readStatus)

    const write = await call('PATCH', `/v1/typebots/${typebotId}`, { token: tokens[who], body: { typebot: { name: `Edited by ${who}` } } })
    expect(write.status).toBe(writeStatus)
    expect((await call('POST', `/v1/typebots/${typebotId}/publish`, { token: tokens[who] })).status).toBe(writeStatus)
    if (writeStatus !== 200) {
      if (writeStatus === 403) expect(write.body).toEqual({ code: 'FORBIDDEN', message: 'Insufficient access' })
      expect((await call('DELETE', `/v1/typebots/${typebotId}/results`, { token: tokens[who] })).status).toBe(writeStatus)
      expect((await call('POST', `/v1/typebots/${typebotId}/unpublish`, { token: tokens[who] })).status).toBe(writeStatus)
      expect((await call('DELETE', `/v1/typebots/${typebotId}`, { token: tokens[who] })).status).toBe(writeStatus)
    }
    const after = await call('GET', `/v1/typebots/${typebotId}`, { token: owner.token })
    expect(after.body.typebot.name === `Edited by ${who}`).toBe(writeStatus === 200)
  })

  it('lets a GUEST list the workspace typebots but not create one', async () => {
    expect((await call('GET', `/v1/typebots?workspaceId=${owner.workspaceId}`, { token: tokens.guest })).body.typebots[0].accessRight).toBe(
      'guest',
    )
    const created = await call('POST', '/v1/typebots', { token: tokens.guest, body: { workspaceId: owner.workspaceId, typebot: {} } })
    expect(created.status).toBe(403)
    const imported = await call('POST', '/v1/typebots/import', {
      token: tokens.guest,
      body: { workspaceId: owner.workspaceId, typebot: helloTypebot },
    })
    expect(imported.status).toBe(403)
  })

  it('hides the workspace and its list of typebots from an outsider (404)', async () => {
    expect((await call('GET', `/v1/workspaces/${owner.workspaceId}`, { token: tokens.outsider })).status).toBe(404)
    expect((await call('GET', `/v1/typebots?workspaceId=${owner.workspaceId}`, { token: tokens.outsider })).status).toBe(404)
    expect((await call('POST', '/v1/typebots', { token: tokens.outsider, body: { workspaceId: owner.workspaceId } })).status).toBe(404)
  })
})

describe('OpenAPI document', () => {
  it('documents every management endpoint with a summary, tags and the bearer security', async () => {
    const document = (await call('GET', '/openapi.json')).body
    const managementPaths = [
      '/api/v1/workspaces',
      '/api/v1/workspaces/{workspaceId}',
      '/api/v1/workspaces/{workspaceId}/members',
      '/api/v1/typebots',
      '/api/v1/typebots/import',
      '/api/v1/typebots/{typebotId}',
      '/api/v1/typebots/{typebotId}/publish',
      '/api/v1/typebots/{typebotId}/unpublish',
      '/api/v1/typebots/{typebotId}/publishedTypebot',
      '/api/v1/typebots/{typebotId}/collaborators',
      '/api/v1/users/me/api-tokens',
      '/api/v1/users/me/api-tokens/{tokenId}',
      '/api/v1/typebots/{typebotId}/results',
      '/api/v1/typebots/{typebotId}/results/{resultId}',
      '/api/v1/typebots/{typebotId}/results/{resultId}/logs',
    ]
    for (const path of managementPaths) {
      expect(document.paths[path], path).toBeDefined()
      for (const [method, operation] of Object.entries(
        document.paths[path] as Record<string, { summary?: string; tags?: string[]; security?: unknown }>,
      )) {
        expect(operation.summary, `${method} ${path}`).toEqual(expect.any(String))
        expect(operation.tags, `${method} ${path}`).not.toHaveLength(0)
        expect(operation.security, `${method} ${path}`).toEqual([{ Authorization: [] }])
      }
    }
  })
})
