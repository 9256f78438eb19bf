import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  getTypebotResponseSchema,
  listTypebotsResponseSchema,
  publishedTypebotResponseSchema,
  typebotWithWarningsResponseSchema,
} from '../../src/schemas/management-api.js'
import { migrateTypebot } from '../../src/schemas/migrate-typebot.js'
import { type ApiClient, createApiClient } from '../helpers/api-client.js'
import { expectBuilderApiShape } from '../helpers/builder-api-validator.js'
import { helloTypebot } from '../helpers/hello-typebot.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { createTestUser, type TestUser } from '../helpers/users.js'

const fixturesDir = new URL('../fixtures/reference/typebots', import.meta.url).pathname

let server: TestServer
let call: ApiClient
let owner: TestUser

beforeAll(async () => {
  server = await startTestServer()
  call = createApiClient(server.url)
  owner = await createTestUser(server, 'owner@example.com')
})
afterAll(async () => server.close())

async function importHello(overrides: Record<string, unknown> = {}) {
  const response = await call('POST', '/v1/typebots/import', {
    token: owner.token,
    body: { workspaceId: owner.workspaceId, typebot: { ...helloTypebot, ...overrides } },
  })
  expect(response.status).toBe(200)
  expectBuilderApiShape(response)
  return typebotWithWarningsResponseSchema.parse(response.body).typebot
}

describe('creating and importing typebots', () => {
  it('creates an empty 6.1 typebot with one start event and the given name', async () => {
    const response = await call('POST', '/v1/typebots', {
      token: owner.token,
      body: { workspaceId: owner.workspaceId, typebot: { name: 'Fresh' } },
    })
    expect(response.status).toBe(200)
    expectBuilderApiShape(response)
    const { typebot } = typebotWithWarningsResponseSchema.parse(response.body)
    expect(typebot).toMatchObject({ name: 'Fresh', version: '6.1', groups: [], edges: [], workspaceId: owner.workspaceId, publicId: null })
    expect(typebot.events).toEqual([expect.objectContaining({ type: 'start' })])
  })

  it("imports with a new id and without the file's publicId", async () => {
    const typebot = await importHello({ id: 'file-id', publicId: 'from-the-file' })
    expect(typebot.id).not.toBe('file-id')
    expect(typebot.publicId).toBeNull()
    expect(typebot.groups).toEqual(helloTypebot.groups)
  })

  it('migrates a v4 export: the start block becomes a start event', async () => {
    const raw = JSON.parse(readFileSync(join(fixturesDir, 'sendEmail.json'), 'utf8'))
    const response = await call('POST', '/v1/typebots/import', {
      token: owner.token,
      body: { workspaceId: owner.workspaceId, typebot: raw },
    })
    expect(response.status).toBe(200)
    const { typebot } = response.body
    expect(typebot.version).toBe('6.1')
    expect(typebot.events[0]).toMatchObject({ type: 'start', outgoingEdgeId: 'clbnrow4e000f3b6ofulsqfj9' })
    expect(
      typebot.groups
        .flatMap((group: { blocks: { type: string }[] }) => group.blocks)
        .some((block: { type: string }) => block.type === 'start'),
    ).toBe(false)
  })

  it('keeps blocks botflow does not run and lists them as warnings', async () => {
    const groups = [
      {
        ...helloTypebot.groups[0],
        blocks: [...helloTypebot.groups[0]!.blocks, { id: 'qr-1', type: 'qr-code', options: { data: 'https://example.com' } }],
      },
    ]
    const response = await call('POST', '/v1/typebots/import', {
      token: owner.token,
      body: { workspaceId: owner.workspaceId, typebot: { ...helloTypebot, groups } },
    })
    expect(response.status).toBe(200)
    expectBuilderApiShape(response)
    expect(response.body.typebot.groups[0].blocks.at(-1)).toEqual({
      id: 'qr-1',
      type: 'qr-code',
      options: { data: 'https://example.com' },
    })
    expect(response.body.warnings).toEqual([expect.stringContaining('qr-1')])
  })

  it('refuses a group without blocks with the path of the problem', async () => {
    const response = await call('POST', '/v1/typebots/import', {
      token: owner.token,
      body: { workspaceId: owner.workspaceId, typebot: { ...helloTypebot, groups: [{ id: 'g', title: 'No blocks' }] } },
    })
    expect(response.status).toBe(400)
    expectBuilderApiShape(response)
    expect(response.body.code).toBe('BAD_REQUEST')
    expect(response.body.issues).toContainEqual(expect.objectContaining({ path: ['typebot', 'groups', 0, 'blocks'] }))
  })

  it('refuses a block without an id', async () => {
    const groups = [{ ...helloTypebot.groups[0], blocks: [{ type: 'text' }] }]
    const response = await call('POST', '/v1/typebots/import', {
      token: owner.token,
      body: { workspaceId: owner.workspaceId, typebot: { ...helloTypebot, groups } },
    })
    expect(response.status).toBe(400)
    expect(response.body.issues).toContainEqual(expect.objectContaining({ path: ['typebot', 'groups', 0, 'blocks', 0, 'id'] }))
  })
})

describe('every reference export', () => {
  const files = listJsonFiles(fixturesDir)

  it.each(files.map((file) => [relative(fixturesDir, file), file]))(
    'imports %s and reads it back unchanged in meaning',
    async (_name, file) => {
      const raw = JSON.parse(readFileSync(file, 'utf8'))
      const imported = await call('POST', '/v1/typebots/import', {
        token: owner.token,
        body: { workspaceId: owner.workspaceId, typebot: raw },
      })
      expect(imported.status, JSON.stringify(imported.body?.issues?.slice(0, 3))).toBe(200)
      const read = await call('GET', `/v1/typebots/${imported.body.typebot.id}`, { token: owner.token })
      expect(read.status).toBe(200)
      expectBuilderApiShape(imported)
      expectBuilderApiShape(read)
      const migrated = migrateTypebot(raw) as Record<string, unknown>
      for (const field of ['groups', 'edges', 'variables', 'events'] as const)
        expect(read.body.typebot[field]).toMatchObject(migrated[field] as object)
      expect(read.body.typebot.name).toBe(raw.name)
    },
  )
})

describe('reading, listing and updating', () => {
  it('returns the typebot with currentUserMode write for its workspace ADMIN', async () => {
    const created = await importHello()
    const response = await call('GET', `/v1/typebots/${created.id}`, { token: owner.token })
    expect(response.status).toBe(200)
    expectBuilderApiShape(response)
    const body = getTypebotResponseSchema.parse(response.body)
    expect(body.currentUserMode).toBe('write')
    expect(body.typebot).toMatchObject({ id: created.id, name: 'Hello', groups: helloTypebot.groups, variables: helloTypebot.variables })
  })

  it("lists the workspace's typebots without archived ones", async () => {
    const kept = await importHello({ name: 'Kept' })
    const archived = await importHello({ name: 'Archived' })
    expect(
      (await call('PATCH', `/v1/typebots/${archived.id}`, { token: owner.token, body: { typebot: { isArchived: true } } })).status,
    ).toBe(200)
    const response = await call('GET', `/v1/typebots?workspaceId=${owner.workspaceId}`, { token: owner.token })
    expect(response.status).toBe(200)
    expectBuilderApiShape(response)
    const ids = listTypebotsResponseSchema.parse(response.body).typebots.map((typebot) => typebot.id)
    expect(ids).toContain(kept.id)
    expect(ids).not.toContain(archived.id)
    expect(response.body.typebots.find((typebot: { id: string }) => typebot.id === kept.id)).toMatchObject({
      name: 'Kept',
      accessRight: 'write',
      publicId: null,
    })
  })

  it('renames, sets a publicId and replaces groups; the whole draft is kept', async () => {
    const created = await importHello()
    const groups = [{ ...helloTypebot.groups[0], title: 'Renamed group' }]
    const response = await call('PATCH', `/v1/typebots/${created.id}`, {
      token: owner.token,
      body: { typebot: { name: 'Renamed', publicId: `hello-${created.id}`, groups } },
    })
    expect(response.status).toBe(200)
    expectBuilderApiShape(response)
    const read = await call('GET', `/v1/typebots/${created.id}`, { token: owner.token })
    expect(read.body.typebot).toMatchObject({
      name: 'Renamed',
      publicId: `hello-${created.id}`,
      groups,
      edges: helloTypebot.edges,
      variables: helloTypebot.variables,
    })
  })

  it('answers 409 when the publicId belongs to another typebot, and changes nothing', async () => {
    const first = await importHello()
    const second = await importHello()
    await call('PATCH', `/v1/typebots/${first.id}`, { token: owner.token, body: { typebot: { publicId: `taken-${first.id}` } } })
    const response = await call('PATCH', `/v1/typebots/${second.id}`, {
      token: owner.token,
      body: { typebot: { publicId: `taken-${first.id}`, name: 'Should not stick' } },
    })
    expect(response.status).toBe(409)
    expect(response.body.code).toBe('CONFLICT')
    // No check against the document here: it declares no 409 for this operation (docs/compatibility.md).
    const read = await call('GET', `/v1/typebots/${second.id}`, { token: owner.token })
    expect(read.body.typebot).toMatchObject({ publicId: null, name: 'Hello' })
  })

  it('refuses an invalid publicId', async () => {
    const created = await importHello()
    const response = await call('PATCH', `/v1/typebots/${created.id}`, {
      token: owner.token,
      body: { typebot: { publicId: 'not valid!' } },
    })
    expect(response.status).toBe(400)
    expect(response.body.issues).toContainEqual(expect.objectContaining({ path: ['typebot', 'publicId'] }))
  })

  it.each(['api', 'API', '.', '..', '.well-known', 'favicon.ico', 'robots.txt'])(
    'refuses the reserved public id %s on create and update, and keeps the old one',
    async (publicId) => {
      const created = await importHello()
      const response = await call('PATCH', `/v1/typebots/${created.id}`, { token: owner.token, body: { typebot: { publicId } } })
      expect(response.status).toBe(400)
      expect(response.body.issues).toContainEqual(expect.objectContaining({ path: ['typebot', 'publicId'] }))
      expect((await call('GET', `/v1/typebots/${created.id}`, { token: owner.token })).body.typebot.publicId).toBeNull()
      const made = await call('POST', '/v1/typebots', {
        token: owner.token,
        body: { workspaceId: owner.workspaceId, typebot: { publicId } },
      })
      expect(made.status).toBe(400)
    },
  )

  it('answers 409 for a stale updatedAt unless overwrite is set', async () => {
    const created = await importHello()
    await call('PATCH', `/v1/typebots/${created.id}`, { token: owner.token, body: { typebot: { name: 'Newer' } } })
    const stale = await call('PATCH', `/v1/typebots/${created.id}`, {
      token: owner.token,
      body: { typebot: { name: 'Stale', updatedAt: '2000-01-01T00:00:00.000Z' } },
    })
    expect(stale.status).toBe(409)
    const forced = await call('PATCH', `/v1/typebots/${created.id}`, {
      token: owner.token,
      body: { overwrite: true, typebot: { name: 'Forced', updatedAt: '2000-01-01T00:00:00.000Z' } },
    })
    expect(forced.status).toBe(200)
    expect(forced.body.typebot.name).toBe('Forced')
  })

  it('deletes a typebot: it is gone afterwards', async () => {
    const created = await importHello()
    const response = await call('DELETE', `/v1/typebots/${created.id}`, { token: owner.token })
    expect([response.status, response.body]).toEqual([200, { message: 'success' }])
    expectBuilderApiShape(response)
    const gone = await call('GET', `/v1/typebots/${created.id}`, { token: owner.token })
    expect(gone.status).toBe(404)
    expectBuilderApiShape(gone)
  })
})

describe('publishing', () => {
  it('answers 404 for the published typebot of a typebot never published', async () => {
    const created = await importHello()
    const response = await call('GET', `/v1/typebots/${created.id}/publishedTypebot`, { token: owner.token })
    expect(response.status).toBe(404)
    expectBuilderApiShape(response)
    const unpublished = await call('POST', `/v1/typebots/${created.id}/unpublish`, { token: owner.token })
    expect(unpublished.status).toBe(404)
    expectBuilderApiShape(unpublished)
  })

  it('publishes an immutable version: later draft edits do not change it', async () => {
    const created = await importHello()
    const published = await call('POST', `/v1/typebots/${created.id}/publish`, { token: owner.token })
    expect([published.status, published.body]).toEqual([200, { message: 'success' }])
    expectBuilderApiShape(published)
    const renamedGroups = [{ ...helloTypebot.groups[0], title: 'Edited after publishing' }]
    await call('PATCH', `/v1/typebots/${created.id}`, { token: owner.token, body: { typebot: { groups: renamedGroups } } })
    const response = await call('GET', `/v1/typebots/${created.id}/publishedTypebot`, { token: owner.token })
    expect(response.status).toBe(200)
    expectBuilderApiShape(response)
    const { publishedTypebot } = publishedTypebotResponseSchema.parse(response.body)
    expect(publishedTypebot).toMatchObject({
      typebotId: created.id,
      version: '6.1',
      groups: helloTypebot.groups,
      edges: helloTypebot.edges,
      events: helloTypebot.events,
    })
    const list = await call('GET', `/v1/typebots?workspaceId=${owner.workspaceId}`, { token: owner.token })
    expect(list.body.typebots.find((typebot: { id: string }) => typebot.id === created.id).publishedTypebotId).toBe(publishedTypebot.id)
  })

  it('gives each publish a new version and unpublishes', async () => {
    const created = await importHello()
    await call('POST', `/v1/typebots/${created.id}/publish`, { token: owner.token })
    const first = (await call('GET', `/v1/typebots/${created.id}/publishedTypebot`, { token: owner.token })).body.publishedTypebot.id
    await call('POST', `/v1/typebots/${created.id}/publish`, { token: owner.token, body: {} })
    const second = (await call('GET', `/v1/typebots/${created.id}/publishedTypebot`, { token: owner.token })).body.publishedTypebot.id
    expect(second).not.toBe(first)
    const unpublished = await call('POST', `/v1/typebots/${created.id}/unpublish`, { token: owner.token })
    expect([unpublished.status, unpublished.body]).toEqual([200, { message: 'success' }])
    expectBuilderApiShape(unpublished)
    expect((await call('GET', `/v1/typebots/${created.id}/publishedTypebot`, { token: owner.token })).status).toBe(404)
  })
  it('moves running sessions to the new version with updateOngoingSessions', async () => {
    const created = await importHello()
    await call('PATCH', `/v1/typebots/${created.id}`, { token: owner.token, body: { typebot: { publicId: `live-${created.id}` } } })
    expect(
      (await call('POST', `/v1/typebots/${created.id}/publish`, { token: owner.token, body: { updateOngoingSessions: true } })).body,
    ).toEqual({ message: 'success', updatedSessions: 0 })
    const started = await call('POST', `/v1/typebots/live-${created.id}/startChat`, { body: {} })
    expect(started.status).toBe(200)
    const published = await call('POST', `/v1/typebots/${created.id}/publish`, {
      token: owner.token,
      body: { updateOngoingSessions: true },
    })
    expect([published.status, published.body]).toEqual([200, { message: 'success', updatedSessions: 1 }])
    expectBuilderApiShape(published)
  })
})

describe('collaborators', () => {
  it('adds a collaborator (creating the user) and lists them', async () => {
    const created = await importHello()
    const added = await call('POST', `/v1/typebots/${created.id}/collaborators`, {
      token: owner.token,
      body: { email: 'Reader@Example.com', type: 'READ' },
    })
    expect(added.status).toBe(200)
    expect(added.body.collaborator).toMatchObject({
      type: 'READ',
      typebotId: created.id,
      user: { email: 'reader@example.com', name: null, image: null },
    })
    const list = await call('GET', `/v1/typebots/${created.id}/collaborators`, { token: owner.token })
    expect(list.status).toBe(200)
    expectBuilderApiShape(list)
    expect(list.body.collaborators).toEqual([added.body.collaborator])
  })
})

function listJsonFiles(dir: string): string[] {
  return readdirSync(dir)
    .map((name) => join(dir, name))
    .flatMap((path) => (statSync(path).isDirectory() ? listJsonFiles(path) : path.endsWith('.json') ? [path] : []))
    .sort()
}
