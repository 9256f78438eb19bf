/**
 * Access rules, each as the attack that worked before: reading another typebot's draft through a
 * link in preview, granting rights one does not hold, resuming webhooks with read access, taking
 * over another user's preview session, and telling hidden ids from missing ones by the status.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addCollaborator } from '../../src/typebots/add-collaborator.js'
import { addWorkspaceMember } from '../../src/typebots/add-workspace-member.js'
import { createApiClient } from '../helpers/api-client.js'
import { expectBuilderApiShape, isBuilderApiOperation } from '../helpers/builder-api-validator.js'
import { startPreview, textsOf } from '../helpers/chat-conversation.js'
import { importAndPublish } from '../helpers/chat-fixtures.js'
import { buildTypebot, text, textInput } from '../helpers/flow-builder.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { createTestUser, type TestUser } from '../helpers/users.js'

const webhookBlockId = 'k1q2uoeat8xp7easiuwr6r56'

let server: TestServer
let owner: TestUser
/** Typebot A, shared with collaborators; B, another typebot of the workspace, never published. */
let typebotA: string
let typebotB: string
let webhookTypebot: string
const users: Record<'member' | 'guest' | 'reader' | 'writer' | 'fullAccess' | 'outsider', TestUser> = {} as never

beforeAll(async () => {
  server = await startTestServer()
  owner = await createTestUser(server, 'owner@example.com')
  const secret = buildTypebot({
    name: 'B',
    groups: [{ id: 'g', title: 'Secret', blocks: [text('t', 'Secret draft of B')] }],
    variables: [],
  })
  const hello = buildTypebot({
    name: 'A',
    groups: [{ id: 'g', title: 'Hello', blocks: [text('t', 'Hello from A'), textInput('i', 'v')] }],
    variables: [{ id: 'v', name: 'Answer' }],
  })
  ;[typebotA, typebotB, webhookTypebot] = (await importAndPublish(owner, [
    { fixture: hello, publicId: 'access-a' },
    { fixture: secret, publish: false },
    { fixture: 'webhookListener.json', publicId: 'access-webhook' },
  ])) as [string, string, string]
  for (const name of ['member', 'guest', 'reader', 'writer', 'fullAccess', 'outsider'] as const) {
    users[name] = await createTestUser(server, `${name}@example.com`)
  }
  await addWorkspaceMember(server.store, { workspaceId: owner.workspaceId, email: users.member.email, role: 'MEMBER' })
  await addWorkspaceMember(server.store, { workspaceId: owner.workspaceId, email: users.guest.email, role: 'GUEST' })
  for (const typebotId of [typebotA, webhookTypebot]) {
    await addCollaborator(server.store, { typebotId, email: users.reader.email, type: 'READ' })
    await addCollaborator(server.store, { typebotId, email: users.writer.email, type: 'WRITE' })
    await addCollaborator(server.store, { typebotId, email: users.fullAccess.email, type: 'FULL_ACCESS' })
  }
})
afterAll(async () => server.close())

describe('Typebot links in preview', () => {
  let linking: string

  beforeAll(async () => {
    // The attack: a WRITE collaborator of A points a link block of a typebot they edit at B.
    const document = buildTypebot({
      name: 'Linking',
      groups: [
        { id: 'g', title: 'Link', blocks: [{ id: 'link', type: 'Typebot link', options: { typebotId: typebotB } }, text('t', 'Back')] },
      ],
      variables: [],
    })
    const imported = await owner.call('POST', '/v1/typebots/import', { body: { workspaceId: owner.workspaceId, typebot: document } })
    linking = imported.body.typebot.id
    await addCollaborator(server.store, { typebotId: linking, email: users.writer.email, type: 'WRITE' })
    const edited = await users.writer.call('PATCH', `/v1/typebots/${linking}`, { body: { typebot: { name: 'Linking, edited' } } })
    expect(edited.status).toBe(200)
  })

  it('do not show a WRITE collaborator the draft of a typebot they may not read', async () => {
    expect((await users.writer.call('GET', `/v1/typebots/${typebotB}`)).status).toBe(404)
    const { start } = await startPreview(users.writer, linking)
    expect(textsOf(start)).toEqual(['Back'])
    expect(start.body.logs).toContainEqual(expect.objectContaining({ description: 'Failed to link typebot' }))
  })

  it('show the linked draft to a user who may read it', async () => {
    const { start } = await startPreview(owner, linking)
    expect(textsOf(start)).toEqual(['Secret draft of B', 'Back'])
  })
})

describe('executeWebhook', () => {
  let path: string
  let sessionId: string

  beforeAll(async () => {
    const start = await createApiClient(server.url)('POST', '/v1/typebots/access-webhook/startChat', { body: {} })
    expect(start.status).toBe(200)
    sessionId = start.body.sessionId
    path = `/v1/typebots/${webhookTypebot}/blocks/${webhookBlockId}/results/${start.body.resultId}/executeWebhook`
  })

  it.each(['reader', 'guest'] as const)('refuses a %s with 403: resuming a conversation needs write access', async (who) => {
    const response = await users[who].call('POST', path, { body: { hello: who } })
    expect(response.status).toBe(403)
    expect(response.body).toEqual({ code: 'FORBIDDEN', message: 'Insufficient access' })
  })

  it('answers an outsider exactly as for an unknown typebot', async () => {
    const hidden = await users.outsider.call('POST', path, { body: {} })
    const missing = await users.outsider.call('POST', path.replace(webhookTypebot, 'unknown'), { body: {} })
    expect(hidden.status).toBe(404)
    expect(hidden.body).toEqual(missing.body)
  })

  it('lets a WRITE collaborator resume the session', async () => {
    expect((await users.writer.call('POST', path, { body: { hello: 'writer' } })).status).toBe(200)
    const resumed = await createApiClient(server.url)('POST', `/v1/sessions/${sessionId}/continueChat`, { body: {} })
    expect(textsOf(resumed)).toEqual(['Hurray!'])
  })
})

describe('managing collaborators', () => {
  const grant = (who: TestUser, type: string) =>
    who.call('POST', `/v1/typebots/${typebotA}/collaborators`, { body: { email: `granted-by-${who.email}`, type } })

  it.each(['writer', 'member', 'reader', 'guest'] as const)('is refused to a %s (403), who cannot grant anything', async (who) => {
    const response = await grant(users[who], 'FULL_ACCESS')
    expect(response.status).toBe(403)
    expect((await grant(users[who], 'READ')).status).toBe(403)
    const listed = await owner.call('GET', `/v1/typebots/${typebotA}/collaborators`)
    expect(listed.body.collaborators.map((collaborator: { user: { email: string } }) => collaborator.user.email)).not.toContain(
      `granted-by-${users[who].email}`,
    )
  })

  it('answers an outsider 404, as for an unknown typebot', async () => {
    expect((await grant(users.outsider, 'READ')).status).toBe(404)
  })

  it('is allowed to a FULL_ACCESS collaborator and to a workspace ADMIN', async () => {
    expect((await grant(users.fullAccess, 'FULL_ACCESS')).status).toBe(200)
    expect((await grant(owner, 'FULL_ACCESS')).status).toBe(200)
  })
})

describe('preview sessions belong to the user who started them', () => {
  it("refuses another user's restart of a preview session by its id, and leaves it as it was", async () => {
    const preview = await startPreview(owner, typebotA)
    const taken = await users.reader.call('POST', `/v1/typebots/${typebotA}/preview/startChat`, {
      body: { sessionId: preview.sessionId, prefilledVariables: { Answer: 'taken over' } },
    })
    expect(taken.status).toBe(409)
    expect(taken.body).toEqual({ code: 'CONFLICT', message: 'This session id belongs to another session' })
    const session = await owner.call('GET', `/v1/sessions/${preview.sessionId}`)
    expect(session.body.session.variables).toEqual([{ id: 'v', name: 'Answer', value: null }])
  })

  it('lets its owner restart it under the same id', async () => {
    const preview = await startPreview(owner, typebotA)
    const restarted = await owner.call('POST', `/v1/typebots/${typebotA}/preview/startChat`, { body: { sessionId: preview.sessionId } })
    expect(restarted.status).toBe(200)
    expect(restarted.body.sessionId).toBe(preview.sessionId)
  })
})

describe('hidden resources answer like missing ones', () => {
  const hiddenAndMissing: [string, string, string, unknown?][] = [
    ['GET', '/v1/typebots/{typebot}', '/v1/typebots/unknown'],
    ['PATCH', '/v1/typebots/{typebot}', '/v1/typebots/unknown', { typebot: { name: 'x' } }],
    ['DELETE', '/v1/typebots/{typebot}', '/v1/typebots/unknown'],
    ['POST', '/v1/typebots/{typebot}/publish', '/v1/typebots/unknown/publish', {}],
    ['GET', '/v1/typebots/{typebot}/publishedTypebot', '/v1/typebots/unknown/publishedTypebot'],
    ['GET', '/v1/typebots/{typebot}/collaborators', '/v1/typebots/unknown/collaborators'],
    ['GET', '/v1/typebots/{typebot}/linkedTypebots', '/v1/typebots/unknown/linkedTypebots'],
    ['GET', '/v1/typebots/{typebot}/analytics/stats', '/v1/typebots/unknown/analytics/stats'],
    ['GET', '/v1/typebots/{typebot}/results', '/v1/typebots/unknown/results'],
    ['GET', '/v1/typebots/{typebot}/results/any', '/v1/typebots/unknown/results/any'],
    ['GET', '/v1/typebots/{typebot}/results/any/logs', '/v1/typebots/unknown/results/any/logs'],
    ['DELETE', '/v1/typebots/{typebot}/results', '/v1/typebots/unknown/results'],
    ['POST', '/v1/typebots/{typebot}/sessions/updateTypebot', '/v1/typebots/unknown/sessions/updateTypebot', {}],
    ['GET', '/v1/workspaces/{workspace}', '/v1/workspaces/unknown'],
    ['GET', '/v1/workspaces/{workspace}/members', '/v1/workspaces/unknown/members'],
    ['GET', '/v1/workspaces/{workspace}/invitations', '/v1/workspaces/unknown/invitations'],
    ['GET', '/v1/typebots?workspaceId={workspace}', '/v1/typebots?workspaceId=unknown'],
    ['POST', '/v1/typebots', '/v1/typebots', { workspaceId: '{workspace}' }],
  ]

  it.each(hiddenAndMissing)('%s %s: 404 with the body of a missing id', async (method, hiddenPath, missingPath, body) => {
    const fill = (value: string) => value.replace('{typebot}', typebotA).replace('{workspace}', owner.workspaceId)
    const hidden = await users.outsider.call(method, fill(hiddenPath), { body: body && JSON.parse(fill(JSON.stringify(body))) })
    const missingBody = body && JSON.parse(JSON.stringify(body).replace('{workspace}', 'unknown'))
    const missing = await users.outsider.call(method, missingPath, { body: missingBody })
    expect(hidden.status).toBe(404)
    expect(missing.status).toBe(404)
    expect(hidden.body).toEqual(missing.body)
    // updateTypebot belongs to the Chat API document; the others are the Builder API's.
    if (isBuilderApiOperation(method, missingPath)) expectBuilderApiShape(hidden)
  })

  it('keeps 403 for a caller who sees the typebot but may not change it', async () => {
    const response = await users.reader.call('PATCH', `/v1/typebots/${typebotA}`, { body: { typebot: { name: 'x' } } })
    expect(response.status).toBe(403)
    expectBuilderApiShape(response)
    expect((await users.reader.call('POST', `/v1/typebots/${typebotA}/sessions/updateTypebot`, { body: {} })).status).toBe(403)
  })

  it('keeps the documented 403 of the session endpoints for any caller without the access', async () => {
    const preview = await startPreview(owner, typebotA)
    const update = await users.outsider.call('POST', `/v1/sessions/${preview.sessionId}/updateTypebot`, { body: {} })
    expect(update.status).toBe(403)
    expect(update.body).toEqual({ code: 'FORBIDDEN', message: 'Insufficient access' })
    expect((await users.outsider.call('GET', `/v1/sessions/${preview.sessionId}`)).status).toBe(403)
  })
})
