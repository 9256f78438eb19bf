/**
 * Provider failures never fail a chat request: each becomes an error log on the answer and the
 * result, the flow goes on to the next input, and no secret appears in the log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addCredentials, aiFlow, chatOptions, forgedAiBlock } from '../helpers/ai-flows.js'
import { createApiClient } from '../helpers/api-client.js'
import { createChatClient, findResultOfSession, startConversation } from '../helpers/chat-conversation.js'
import { importAndPublish } from '../helpers/chat-fixtures.js'
import type { FakeAiServer, FakeReply } from '../helpers/fake-ai-server.js'
import { startFakeAnthropicServer } from '../helpers/fake-anthropic-server.js'
import { startFakeOpenAiServer } from '../helpers/fake-openai-server.js'
import { createTestDatabase, startTestServer, startTestServerOn, type TestServer } from '../helpers/start-server.js'
import { createTestUser, type TestUser } from '../helpers/users.js'

let server: TestServer
let openai: FakeAiServer
let anthropic: FakeAiServer
let owner: TestUser
let typebotIds: Record<string, string>
const openaiKey = 'sk-failing-provider-key-123456'

beforeAll(async () => {
  openai = await startFakeOpenAiServer()
  anthropic = await startFakeAnthropicServer()
  server = await startTestServer({ ALLOW_PRIVATE_HTTP_TARGETS: 'true', HTTP_REQUEST_TIMEOUT_MS: '400' })
  owner = await createTestUser(server)
  await addCredentials(owner, 'openai', { apiKey: openaiKey, baseUrl: openai.baseUrl })
  await addCredentials(owner, 'anthropic', { apiKey: 'sk-ant-failing', baseUrl: anthropic.baseUrl })
  const anthropicOptions = { ...chatOptions({ action: 'Create Chat Message', model: 'claude-sonnet-4-5' }) }
  const [openaiId, anthropicId] = await importAndPublish(owner, [
    { fixture: aiFlow(forgedAiBlock('openai', chatOptions())), publicId: 'fail-openai' },
    { fixture: aiFlow(forgedAiBlock('anthropic', anthropicOptions)), publicId: 'fail-anthropic' },
  ])
  typebotIds = { 'fail-openai': openaiId ?? '', 'fail-anthropic': anthropicId ?? '' }
})
afterAll(async () => {
  await server.close()
  await openai.close()
  await anthropic.close()
})

async function askWithFailure(publicId: 'fail-openai' | 'fail-anthropic', ...replies: FakeReply[]) {
  const fake = publicId === 'fail-openai' ? openai : anthropic
  fake.clearReplies()
  fake.reply(...replies)
  const sent = fake.requests.length
  const chat = createChatClient(owner.call)
  const { reply, sessionId } = await startConversation(chat, publicId)
  const answer = await reply('Hello?')
  expect(answer.status).toBe(200)
  // The flow went on: the answer bubble is empty (not shown) and the next input waits.
  expect(answer.body.input.id).toBe('i-next')
  const result = await findResultOfSession(owner, typebotIds[publicId] ?? '', sessionId)
  const logs = await owner.call('GET', `/v1/typebots/${typebotIds[publicId]}/results/${result.id}/logs`)
  return { answer, attempts: fake.requests.length - sent, storedLogs: logs.body.logs }
}

describe('provider failures', () => {
  it.each([
    ['fail-openai', 401, 'Incorrect API key provided: sk-fa***', 1],
    ['fail-openai', 429, 'Rate limit reached for gpt-4o-mini', 3],
    ['fail-openai', 500, 'The server had an error while processing your request', 3],
    ['fail-anthropic', 401, 'invalid x-api-key', 1],
    ['fail-anthropic', 429, 'Number of request tokens has exceeded your rate limit', 3],
    ['fail-anthropic', 500, 'Internal server error', 3],
  ] as const)(
    '%s answering %i: an error log, retried as the AI SDK does, the flow goes on',
    async (publicId, status, message, attempts) => {
      const failure: FakeReply = { kind: 'error', status, message }
      const outcome = await askWithFailure(publicId, failure, failure, failure)
      expect(outcome.attempts).toBe(attempts)
      expect(outcome.answer.body.logs).toEqual([
        expect.objectContaining({ status: 'error', description: message, context: 'While generating chat completion' }),
      ])
      expect(outcome.answer.body.logs[0].details).toContain(message)
      expect(outcome.storedLogs).toContainEqual(expect.objectContaining({ status: 'error', description: message }))
    },
  )

  it('logs a timeout when the provider stays silent longer than HTTP_REQUEST_TIMEOUT_MS, without retrying', async () => {
    const outcome = await askWithFailure('fail-openai', { kind: 'slow', delayMs: 2_000, reply: { kind: 'text', text: 'too late' } })
    expect(outcome.attempts).toBe(1)
    expect(outcome.answer.body.logs).toEqual([expect.objectContaining({ status: 'error', description: 'Request timed out. (0.4s)' })])
  })

  it('logs a response cut in the middle', async () => {
    const outcome = await askWithFailure('fail-openai', { kind: 'cut', chunks: ['Hel'] })
    expect(outcome.answer.body.logs).toEqual([expect.objectContaining({ status: 'error', context: 'While generating chat completion' })])
  })

  it('masks the key when a provider echoes it', async () => {
    const outcome = await askWithFailure('fail-openai', { kind: 'error', status: 401, message: `Key ${openaiKey} is revoked` })
    expect(JSON.stringify(outcome.answer.body)).not.toContain(openaiKey)
    expect(JSON.stringify(outcome.storedLogs)).not.toContain(openaiKey)
    expect(outcome.answer.body.logs[0].description).toBe('Key *** is revoked')
  })
})

describe('a wrong ENCRYPTION_SECRET', () => {
  it('is an error log naming the credentials, and nothing reaches the provider', async () => {
    const database = await createTestDatabase()
    const first = await startTestServerOn(database, {
      ALLOW_PRIVATE_HTTP_TARGETS: 'true',
      ENCRYPTION_SECRET: 'the-first-secret-of-thirty-two-chars!',
    })
    let user: TestUser
    let credentialsId: string
    try {
      user = await createTestUser(first)
      credentialsId = await addCredentials(
        user,
        'openai',
        { apiKey: 'sk-sealed-with-the-first-secret', baseUrl: openai.baseUrl },
        'Team key',
      )
      await importAndPublish(user, [{ fixture: aiFlow(forgedAiBlock('openai', chatOptions())), publicId: 'wrong-secret' }])
    } finally {
      await first.close()
    }
    const second = await startTestServerOn(database, {
      ALLOW_PRIVATE_HTTP_TARGETS: 'true',
      ENCRYPTION_SECRET: 'another-secret-of-thirty-two-chars!!',
    })
    try {
      const sent = openai.requests.length
      const chat = createChatClient(createApiClient(second.url, user.token))
      const { reply } = await startConversation(chat, 'wrong-secret')
      const answer = await reply('Hello?')
      expect(answer.status).toBe(200)
      expect(answer.body.logs).toEqual([
        expect.objectContaining({ status: 'error', description: `Couldn't decrypt credentials "Team key" (${credentialsId})` }),
      ])
      expect(answer.body.logs[0].details).toContain('ENCRYPTION_SECRET')
      expect(answer.body.input.id).toBe('i-next')
      expect(openai.requests.length).toBe(sent)
    } finally {
      await second.close()
      await database.drop()
    }
  })
})
