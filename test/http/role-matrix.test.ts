/**
 * The table "What each role may do" of docs/security.md, cell by cell: every endpoint family is
 * called by every kind of caller, and the status must be the one the table promises (2xx where it
 * says yes; otherwise 401 without a user, 404 where the caller may not see the resource, 403
 * where they see it but may not do this). Destructive calls get a fresh resource per caller.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addCollaborator } from '../../src/typebots/add-collaborator.js'
import { addWorkspaceMember } from '../../src/typebots/add-workspace-member.js'
import { createApiClient } from '../helpers/api-client.js'
import { importAndPublish } from '../helpers/chat-fixtures.js'
import { buildTypebot, text, textInput } from '../helpers/flow-builder.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { createTestUser, type TestUser } from '../helpers/users.js'

const metricsToken = 'metrics-token-of-the-operator'
const webhookBlockId = 'k1q2uoeat8xp7easiuwr6r56'

const roles = ['anonymous', 'ADMIN', 'MEMBER', 'GUEST', 'READ', 'WRITE', 'FULL_ACCESS', 'outsider', 'metrics'] as const
type Role = (typeof roles)[number]
type Outcome = 'ok' | 401 | 403 | 404

let server: TestServer
let owner: TestUser
let typebotId: string
let webhookTypebotId: string
const users = {} as Record<Exclude<Role, 'anonymous' | 'metrics' | 'ADMIN'>, TestUser>

const hello = buildTypebot({
  name: 'Matrix',
  groups: [
    { id: 'g', title: 'Hello', blocks: [text('t', 'Hello'), textInput('i', 'v')] },
    // Not reached by the chat: only there for the Zapier/Make endpoints.
    { id: 'g-zap', title: 'Zap', blocks: [{ id: 'z-1', type: 'Zapier', options: {} }] },
  ],
  variables: [{ id: 'v', name: 'Answer' }],
})

beforeAll(async () => {
  server = await startTestServer({ METRICS_TOKEN: metricsToken })
  owner = await createTestUser(server, 'matrix-admin@example.com')
  ;[typebotId, webhookTypebotId] = (await importAndPublish(owner, [
    { fixture: hello, publicId: 'matrix' },
    { fixture: 'webhookListener.json', publicId: 'matrix-webhook' },
  ])) as [string, string]
  for (const role of ['MEMBER', 'GUEST', 'READ', 'WRITE', 'FULL_ACCESS', 'outsider'] as const) {
    users[role] = await createTestUser(server, `matrix-${role.toLowerCase()}@example.com`)
  }
  await addWorkspaceMember(server.store, { workspaceId: owner.workspaceId, email: users.MEMBER.email, role: 'MEMBER' })
  await addWorkspaceMember(server.store, { workspaceId: owner.workspaceId, email: users.GUEST.email, role: 'GUEST' })
  for (const id of [typebotId, webhookTypebotId]) await shareWithCollaborators(id)
}, 60_000)
afterAll(async () => server?.close())

async function shareWithCollaborators(id: string) {
  for (const type of ['READ', 'WRITE', 'FULL_ACCESS'] as const)
    await addCollaborator(server.store, { typebotId: id, email: users[type].email, type })
}

function tokenOf(role: Role): string | undefined {
  if (role === 'anonymous') return undefined
  if (role === 'metrics') return metricsToken
  return role === 'ADMIN' ? owner.token : users[role].token
}

/** A status only (exports are CSV, metrics are text). */
async function statusOf(role: Role, method: string, path: string, body?: unknown): Promise<number> {
  const token = tokenOf(role)
  const response = await fetch(`${server.url}/api${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  await response.arrayBuffer()
  return response.status
}

async function startLiveChat(publicId = 'matrix') {
  const started = await createApiClient(server.url)('POST', `/v1/typebots/${publicId}/startChat`, { body: {} })
  expect(started.status).toBe(200)
  return { sessionId: started.body.sessionId as string, resultId: started.body.resultId as string }
}

async function freshTypebot(publish: boolean): Promise<string> {
  const [id] = (await importAndPublish(owner, [{ fixture: hello, publish }])) as [string]
  await shareWithCollaborators(id)
  return id
}

/** Who may: everyone else gets 401 (no user), 404 (cannot see it) or 403 (sees it), as listed. */
type Row = {
  family: string
  call: (role: Role) => Promise<number>
  expected: Partial<Record<Role, Outcome>>
}

const everyone: Partial<Record<Role, Outcome>> = Object.fromEntries(roles.map((role) => [role, 'ok']))
const tokenHolders = { ...everyone, anonymous: 401, metrics: 401 } as const
const readers = { ...tokenHolders, outsider: 404 } as const
const writers = { ...readers, GUEST: 403, READ: 403 } as const
const workspaceReaders = { ...readers, READ: 404, WRITE: 404, FULL_ACCESS: 404 } as const
const workspaceEditors = { ...workspaceReaders, GUEST: 403 } as const

const rows: Row[] = [
  { family: 'chat: startChat', call: (role) => statusOf(role, 'POST', '/v1/typebots/matrix/startChat', {}), expected: everyone },
  {
    family: 'chat: continueChat by session id',
    call: async (role) => statusOf(role, 'POST', `/v1/sessions/${(await startLiveChat()).sessionId}/continueChat`, { message: 'hi' }),
    expected: everyone,
  },
  {
    family: 'preview startChat',
    call: (role) => statusOf(role, 'POST', `/v1/typebots/${typebotId}/preview/startChat`, {}),
    expected: readers,
  },
  {
    family: 'updateTypebot of a session',
    call: async (role) => statusOf(role, 'POST', `/v1/sessions/${(await startLiveChat()).sessionId}/updateTypebot`, {}),
    expected: { ...writers, outsider: 403 },
  },
  {
    family: 'read a session',
    call: async (role) => statusOf(role, 'GET', `/v1/sessions/${(await startLiveChat()).sessionId}`),
    expected: { ...readers, outsider: 403 },
  },
  {
    family: 'session control: pause',
    call: async (role) => statusOf(role, 'POST', `/v1/sessions/${(await startLiveChat()).sessionId}/pause`, {}),
    expected: writers,
  },
  {
    family: 'session control: set variables',
    call: async (role) =>
      statusOf(role, 'PATCH', `/v1/sessions/${(await startLiveChat()).sessionId}/variables`, { variables: { Answer: 'x' } }),
    expected: writers,
  },
  {
    family: 'session control: close',
    call: async (role) => statusOf(role, 'POST', `/v1/sessions/${(await startLiveChat()).sessionId}/close`, {}),
    expected: writers,
  },
  { family: 'session inbox', call: (role) => statusOf(role, 'GET', `/v1/typebots/${typebotId}/sessions`), expected: readers },
  {
    family: 'executeWebhook',
    call: async (role) => {
      const { resultId } = await startLiveChat('matrix-webhook')
      return statusOf(role, 'POST', `/v1/typebots/${webhookTypebotId}/blocks/${webhookBlockId}/results/${resultId}/executeWebhook`, {})
    },
    expected: writers,
  },
  {
    family: 'typebots: list the workspace',
    call: (role) => statusOf(role, 'GET', `/v1/typebots?workspaceId=${owner.workspaceId}`),
    expected: workspaceReaders,
  },
  {
    family: 'typebots: create',
    call: (role) => statusOf(role, 'POST', '/v1/typebots', { workspaceId: owner.workspaceId, typebot: { name: `by ${role}` } }),
    expected: workspaceEditors,
  },
  { family: 'typebots: read', call: (role) => statusOf(role, 'GET', `/v1/typebots/${typebotId}`), expected: readers },
  {
    family: 'typebots: update',
    call: (role) => statusOf(role, 'PATCH', `/v1/typebots/${typebotId}`, { typebot: { name: 'Matrix' } }),
    expected: writers,
  },
  {
    family: 'typebots: delete',
    call: async (role) => statusOf(role, 'DELETE', `/v1/typebots/${await freshTypebot(false)}`),
    expected: writers,
  },
  { family: 'publish', call: (role) => statusOf(role, 'POST', `/v1/typebots/${typebotId}/publish`, {}), expected: writers },
  {
    family: 'unpublish',
    call: async (role) => statusOf(role, 'POST', `/v1/typebots/${await freshTypebot(true)}/unpublish`, {}),
    expected: writers,
  },
  { family: 'results: list', call: (role) => statusOf(role, 'GET', `/v1/typebots/${typebotId}/results`), expected: readers },
  {
    family: 'results: transcript',
    call: async (role) => statusOf(role, 'GET', `/v1/typebots/${typebotId}/results/${(await startLiveChat()).resultId}/transcript`),
    expected: readers,
  },
  {
    family: 'results: delete',
    call: async (role) => statusOf(role, 'DELETE', `/v1/typebots/${typebotId}/results?resultIds=${(await startLiveChat()).resultId}`),
    expected: writers,
  },
  { family: 'results: export', call: (role) => statusOf(role, 'GET', `/v1/typebots/${typebotId}/results/export`), expected: readers },
  {
    family: 'credentials: list',
    call: (role) => statusOf(role, 'GET', `/v1/workspaces/${owner.workspaceId}/credentials`),
    expected: workspaceEditors,
  },
  {
    family: 'credentials: add',
    call: (role) =>
      statusOf(role, 'POST', `/v1/workspaces/${owner.workspaceId}/credentials`, { type: 'openai', name: role, data: { apiKey: 'sk-x' } }),
    expected: workspaceEditors,
  },
  {
    family: 'event webhooks: list',
    call: (role) => statusOf(role, 'GET', `/v1/workspaces/${owner.workspaceId}/webhooks`),
    expected: workspaceEditors,
  },
  {
    family: 'event webhooks: subscribe',
    call: (role) =>
      statusOf(role, 'POST', `/v1/workspaces/${owner.workspaceId}/webhooks`, {
        url: 'https://example.com/hook',
        events: ['session.started'],
      }),
    expected: workspaceEditors,
  },
  {
    family: 'HTTP request blocks (Zapier, Make): list',
    call: (role) => statusOf(role, 'GET', `/v1/typebots/${typebotId}/webhookBlocks`),
    expected: readers,
  },
  {
    family: 'HTTP request blocks (Zapier, Make): subscribe',
    call: (role) =>
      statusOf(role, 'POST', `/v1/typebots/${typebotId}/webhookBlocks/z-1/subscribe`, {
        url: 'https://example.com/zap',
      }),
    expected: writers,
  },
  { family: 'workspace: read', call: (role) => statusOf(role, 'GET', `/v1/workspaces/${owner.workspaceId}`), expected: workspaceReaders },
  {
    family: 'workspace: members',
    call: (role) => statusOf(role, 'GET', `/v1/workspaces/${owner.workspaceId}/members`),
    expected: workspaceReaders,
  },
  { family: 'collaborators: list', call: (role) => statusOf(role, 'GET', `/v1/typebots/${typebotId}/collaborators`), expected: readers },
  {
    family: 'collaborators: add (READ)',
    call: (role) => statusOf(role, 'POST', `/v1/typebots/${typebotId}/collaborators`, { email: 'matrix-new@example.com', type: 'READ' }),
    expected: { ...readers, MEMBER: 403, GUEST: 403, READ: 403, WRITE: 403 },
  },
  {
    family: 'workspace: create one of their own',
    call: (role) => statusOf(role, 'POST', '/v1/workspaces', { name: role }),
    expected: tokenHolders,
  },
  { family: 'api tokens: own list', call: (role) => statusOf(role, 'GET', '/v1/users/me/api-tokens'), expected: tokenHolders },
  {
    family: 'metrics',
    call: (role) => statusOf(role, 'GET', '/metrics'),
    expected: { ...Object.fromEntries(roles.map((role) => [role, 401])), metrics: 'ok' },
  },
]

describe('what each role may do (docs/security.md)', () => {
  it.each(rows.map((row) => [row.family, row] as const))('%s', async (_family, row) => {
    const outcomes: Partial<Record<Role, Outcome | number>> = {}
    for (const role of roles) {
      const status = await row.call(role)
      outcomes[role] = status >= 200 && status < 300 ? 'ok' : status
    }
    expect(outcomes).toEqual(row.expected)
  })
})
