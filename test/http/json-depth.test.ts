import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiClient } from '../helpers/api-client.js'
import { importAndPublish } from '../helpers/chat-fixtures.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { createTestUser, type TestUser } from '../helpers/users.js'

const webhookBlockId = 'k1q2uoeat8xp7easiuwr6r56'
/** JSON text of `{"a":{"a":...}}`, built as text: JSON.stringify itself overflows the stack on it. */
const deep = (depth: number) => `${'{"a":'.repeat(depth)}"x"${'}'.repeat(depth)}`

let server: TestServer
let owner: TestUser
let typebotId: string
let sessionId: string
let resultId: string
beforeAll(async () => {
  server = await startTestServer()
  owner = await createTestUser(server)
  ;[typebotId] = (await importAndPublish(owner, [{ fixture: 'webhookListener.json', publicId: 'deep-json' }])) as [string]
  const start = await createApiClient(server.url)('POST', '/v1/typebots/deep-json/startChat', { body: {} })
  expect(start.status, JSON.stringify(start.body)).toBe(200)
  ;({ sessionId, resultId } = start.body)
})
afterAll(async () => server.close())

describe('JSON bodies nested 10,000 levels deep', () => {
  // Each route with a body, with real ids so nothing but the depth can refuse it.
  const routes: [string, string, () => string, (tooDeep: string) => string][] = [
    ['startChat', 'POST', () => '/v1/typebots/deep-json/startChat', (value) => `{"prefilledVariables":{"a":${value}}}`],
    ['preview startChat', 'POST', () => `/v1/typebots/${typebotId}/preview/startChat`, (value) => `{"prefilledVariables":{"a":${value}}}`],
    ['continueChat', 'POST', () => `/v1/sessions/${sessionId}/continueChat`, (value) => `{"message":${value}}`],
    [
      'clientLogs v1',
      'POST',
      () => `/v1/sessions/${sessionId}/clientLogs`,
      (value) => `{"clientLogs":[{"description":"x","details":${value}}]}`,
    ],
    [
      'clientLogs v2',
      'POST',
      () => `/v2/sessions/${sessionId}/clientLogs`,
      (value) => `{"clientLogs":[{"description":"x","details":${value}}]}`,
    ],
    ['updateTypebot in session', 'POST', () => `/v1/sessions/${sessionId}/updateTypebot`, (value) => `{"a":${value}}`],
    [
      'executeWebhook',
      'POST',
      () => `/v1/typebots/${typebotId}/blocks/${webhookBlockId}/results/${resultId}/executeWebhook`,
      (value) => `{"a":${value}}`,
    ],
    ['create typebot', 'POST', () => '/v1/typebots', (value) => `{"workspaceId":"${owner.workspaceId}","typebot":{"settings":${value}}}`],
    [
      'import typebot',
      'POST',
      () => '/v1/typebots/import',
      (value) => `{"workspaceId":"${owner.workspaceId}","typebot":{"settings":${value}}}`,
    ],
    ['PATCH typebot', 'PATCH', () => `/v1/typebots/${typebotId}`, (value) => `{"typebot":{"settings":${value}}}`],
    ['publish', 'POST', () => `/v1/typebots/${typebotId}/publish`, (value) => `{"a":${value}}`],
    [
      'add collaborator',
      'POST',
      () => `/v1/typebots/${typebotId}/collaborators`,
      (value) => `{"email":"c@example.com","type":"READ","a":${value}}`,
    ],
    ['create workspace', 'POST', () => '/v1/workspaces', (value) => `{"name":"w","icon":${value}}`],
    ['create API token', 'POST', () => '/v1/users/me/api-tokens', (value) => `{"name":${value}}`],
  ]

  it.each(routes)('%s answers 400 and the server keeps answering', async (_name, method, path, bodyWith) => {
    const response = await owner.call(method, path(), { body: bodyWith(deep(10_000)) })
    expect(response.status, JSON.stringify(response.body)).toBe(400)
    expect(response.body).toEqual({ code: 'BAD_REQUEST', message: 'JSON nested deeper than 64 levels' })
    expect((await owner.call('GET', '/healthz')).status).toBe(200)
  })

  it('accepts the deepest body allowed: 64 levels', async () => {
    const response = await owner.call('POST', `/v1/sessions/${sessionId}/clientLogs`, {
      body: `{"clientLogs":[{"description":"deep but allowed","details":${deep(61)}}]}`,
    })
    expect(response.status, JSON.stringify(response.body)).toBe(200)
  })

  it('counts brackets inside strings as text', async () => {
    const response = await owner.call('POST', `/v2/sessions/${sessionId}/clientLogs`, {
      body: { clientLogs: [{ description: '['.repeat(10_000) }] },
    })
    expect(response.status, JSON.stringify(response.body)).toBe(200)
  })
})
