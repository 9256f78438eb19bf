/**
 * A server process stopped with SIGTERM while an AI answer is still streaming and a webhook
 * receiver holds a delivery: a request that arrives during the shutdown gets a 503 with our error
 * body, the stream is cut at SHUTDOWN_TIMEOUT_MS (its connection closing aborts the provider
 * call), the delivery is left to be retried, and the process exits.
 */
import { connect, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addCredentials, aiFlow, chatOptions, forgedAiBlock } from '../helpers/ai-flows.js'
import { createApiClient } from '../helpers/api-client.js'
import { createChatClient, startConversation } from '../helpers/chat-conversation.js'
import { importAndPublish } from '../helpers/chat-fixtures.js'
import type { FakeAiServer } from '../helpers/fake-ai-server.js'
import { startFakeOpenAiServer } from '../helpers/fake-openai-server.js'
import { type ChildServer, startChildServer } from '../helpers/start-child-server.js'
import { createTestDatabase, startTestServerOn, type TestDatabase } from '../helpers/start-server.js'
import { createTestUser, type TestUser } from '../helpers/users.js'
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js'

let database: TestDatabase
let openai: FakeAiServer
let receiver: WebhookReceiver
let owner: TestUser
let webhookId: string
let child: ChildServer | undefined

beforeAll(async () => {
  openai = await startFakeOpenAiServer()
  receiver = await startWebhookReceiver()
  receiver.mode = 'hold'
  database = await createTestDatabase()
  // Set-up only: closed before the server under test starts, so its delivery loop takes no delivery.
  const setup = await startTestServerOn(database)
  owner = await createTestUser(setup)
  const subscribed = await owner.call('POST', `/v1/workspaces/${owner.workspaceId}/webhooks`, {
    body: { url: receiver.url, events: ['session.started'] },
  })
  expect(subscribed.status).toBe(200)
  webhookId = subscribed.body.webhook.id
  await addCredentials(owner, 'openai', { apiKey: 'sk-shutdown', baseUrl: openai.baseUrl })
  await importAndPublish(owner, [{ fixture: aiFlow(forgedAiBlock('openai', chatOptions())), publicId: 'shutdown-stream' }])
  await setup.close()
}, 60_000)

afterAll(async () => {
  await child?.kill()
  await database?.drop()
  await openai?.close()
  await receiver?.stop()
})

/** Starts a request whose headers are not finished: Node counts the connection as busy, so closing keeps it. */
function startUnfinishedRequest(url: string, path: string): { socket: Socket; finish(): Promise<string> } {
  const socket = connect(Number(new URL(url).port), '127.0.0.1')
  socket.on('error', () => undefined)
  let received = ''
  socket.on('data', (chunk: Buffer) => {
    received += chunk.toString()
  })
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()))
  socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n`)
  return {
    socket,
    async finish() {
      socket.write('\r\n')
      await closed
      return received
    },
  }
}

/** Resolves once the server refuses new connections: it has begun closing. */
async function waitUntilRefused(url: string): Promise<void> {
  for (;;) {
    try {
      const response = await fetch(`${url}/api/healthz`, { headers: { connection: 'close' } })
      await response.arrayBuffer()
    } catch {
      return
    }
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('SIGTERM', () => {
  it('answers 503 with the error body during the shutdown, cuts the AI stream and the held delivery at the deadline, and exits', async () => {
    child = await startChildServer({
      ...database.env,
      ALLOW_PRIVATE_HTTP_TARGETS: 'true',
      // Long enough for the request sent during the shutdown; the stream would never end by itself.
      SHUTDOWN_TIMEOUT_MS: '3000',
      REQUEST_TIMEOUT_MS: '600000',
      // Longer than the test: only the shutdown deadline can end the held delivery.
      WEBHOOK_TIMEOUT_MS: '600000',
    })
    const { url } = child
    const conversation = await startConversation(createChatClient(createApiClient(url)), 'shutdown-stream', { isStreamEnabled: true })
    await conversation.reply('Tell me a long story')
    // The session.started delivery is in flight, held by the receiver.
    await receiver.waitFor((received) => received.length >= 1)

    // The provider sends the first words, then holds the last chunk forever.
    const providerCalls = openai.requests.length
    openai.reply({ kind: 'held', chunks: ['Once', ' upon', ' a time'], released: new Promise(() => undefined) })
    const stream = await fetch(`${url}/api/v2/sessions/${conversation.sessionId}/streamMessage`, { method: 'POST' })
    expect(stream.status).toBe(200)
    const reader = (stream.body as ReadableStream<Uint8Array>).getReader()
    const first = await reader.read()
    expect(new TextDecoder().decode(first.value)).toContain('0:"Once"')
    const providerRequest = openai.requests[providerCalls]
    expect(providerRequest?.body.stream).toBe(true)

    const lateRequest = startUnfinishedRequest(url, '/api/healthz')
    // Let the server read the first line, so the connection counts as busy when the signal comes.
    await new Promise((resolve) => setTimeout(resolve, 300))
    const exited = child.stop()
    await waitUntilRefused(url)
    const answer = await lateRequest.finish()
    const [head = '', body = ''] = answer.split('\r\n\r\n')
    expect(head).toMatch(/^HTTP\/1\.1 503 /)
    expect(head.toLowerCase()).toContain('connection: close')
    expect(JSON.parse(body)).toEqual({ message: 'The server is shutting down', code: 'SERVICE_UNAVAILABLE' })

    // The stream ends (cut) instead of keeping the process alive, and the process exits cleanly.
    await expect(drain(reader)).resolves.toBeDefined()
    expect(await exited).toBe(0)

    // The held delivery was cut at the deadline and recorded as a failed attempt, to be retried.
    const after = await startTestServerOn(database)
    try {
      const log = await createApiClient(after.url, owner.token)(
        'GET',
        `/v1/workspaces/${owner.workspaceId}/webhooks/${webhookId}/deliveries`,
      )
      expect(log.body.deliveries).toEqual([
        expect.objectContaining({
          status: 'pending',
          attempts: [expect.objectContaining({ error: 'The request was stopped: the server is shutting down' })],
        }),
      ])
    } finally {
      await after.close()
    }
  }, 60_000)
})

/** Reads to the end; a cut connection ends the read with an error, which is an end too. */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<'ended' | 'cut'> {
  try {
    for (;;) {
      const { done } = await reader.read()
      if (done) return 'ended'
    }
  } catch {
    return 'cut'
  }
}
