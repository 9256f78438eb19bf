/**
 * Webhook deliveries across processes: a server killed with SIGKILL between a turn and its
 * deliveries loses nothing (another process delivers) and no event is handled twice; two
 * processes on one database deliver each event once.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { createStore } from '../../src/storage/create-store.js'
import { createUserWithToken } from '../../src/typebots/create-user-with-token.js'
import { createApiClient } from '../helpers/api-client.js'
import { createChatClient, startConversation } from '../helpers/chat-conversation.js'
import { buildTypebot, text, textInput } from '../helpers/flow-builder.js'
import { type ChildServer, startChildServer } from '../helpers/start-child-server.js'
import { createTestDatabase, type TestDatabase } from '../helpers/start-server.js'
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js'

const askBot = buildTypebot({
  variables: [{ id: 'v-name', name: 'Name' }],
  groups: [{ id: 'g-ask', title: 'Ask', blocks: [text('t-ask', 'Your name?'), textInput('i-name', 'v-name')] }],
})

const webhookEnv = { ALLOW_PRIVATE_HTTP_TARGETS: 'true', WEBHOOK_RETRY_BASE_MS: '200', WEBHOOK_TIMEOUT_MS: '1000' }

let cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
  cleanups = []
})

/** A database with a user, a published bot and a subscription of `receiver`, set up through `child`. */
async function prepare(database: TestDatabase, child: ChildServer, receiver: WebhookReceiver) {
  const store = await createStore(
    database.url.startsWith('file:')
      ? { kind: 'sqlite', filename: database.url.slice('file:'.length) }
      : { kind: 'postgres', connectionString: database.url },
    { migrate: false },
  )
  const { apiToken, workspace } = await createUserWithToken(store, { email: 'ops@example.com' })
  await store.close()
  const call = createApiClient(child.url, apiToken.token)
  const imported = await call('POST', '/v1/typebots/import', { body: { workspaceId: workspace.id, typebot: askBot } })
  const typebotId: string = imported.body.typebot.id
  expect((await call('PATCH', `/v1/typebots/${typebotId}`, { body: { typebot: { publicId: 'durable' } } })).status).toBe(200)
  expect((await call('POST', `/v1/typebots/${typebotId}/publish`, { body: {} })).status).toBe(200)
  const subscribed = await call('POST', `/v1/workspaces/${workspace.id}/webhooks`, {
    body: { url: receiver.url, events: ['session.started', 'answer.received'] },
  })
  receiver.secret = subscribed.body.webhook.secret
}

/** `count` conversations, each started and answered once, spread over `servers`: 2 events each. */
async function converse(servers: { url: string }[], count: number) {
  for (let index = 0; index < count; index++) {
    const server = servers[index % servers.length]
    if (!server) throw new Error('no server')
    const conversation = await startConversation(createChatClient(createApiClient(server.url)), 'durable')
    expect((await conversation.reply(`user ${index}`)).status).toBe(200)
  }
}

function expectEachEventOnce(receiver: WebhookReceiver, count: number) {
  const acknowledged = receiver.acknowledged()
  expect(acknowledged.every((delivery) => delivery.isSignatureValid)).toBe(true)
  expect(new Set(acknowledged.map((delivery) => delivery.eventId)).size).toBe(acknowledged.length)
  expect(acknowledged.filter((delivery) => delivery.eventType === 'session.started')).toHaveLength(count)
  const answers = acknowledged.filter((delivery) => delivery.eventType === 'answer.received').map((delivery) => delivery.body.data.value)
  expect(answers.sort()).toEqual(Array.from({ length: count }, (_, index) => `user ${index}`).sort())
}

describe('webhook deliveries across processes', () => {
  it('lose nothing and double nothing when the server is killed between turns and their deliveries', async () => {
    const database = await createTestDatabase()
    cleanups.push(() => database.drop())
    const receiver = await startWebhookReceiver()
    cleanups.push(() => receiver.stop())
    const doomed = await startChildServer({ ...database.env, ...webhookEnv })
    cleanups.push(() => doomed.kill())
    await prepare(database, doomed, receiver)

    // The receiver takes the first deliveries and never answers: they are in flight when the server dies.
    receiver.mode = 'hold'
    await converse([doomed], 6)
    await receiver.waitFor((received) => received.length >= 1)
    await doomed.kill()

    receiver.mode = 'ok'
    const heir = await startChildServer({ ...database.env, ...webhookEnv })
    cleanups.push(() => heir.stop())
    await receiver.waitFor(() => receiver.acknowledged().length >= 12, 30_000)
    await new Promise((resolve) => setTimeout(resolve, 500))
    expectEachEventOnce(receiver, 6)
    // The deliveries in flight when the server died were sent again (at least once), but each
    // event was handled (answered 2xx) once.
    expect(receiver.received.length).toBeGreaterThan(receiver.acknowledged().length)
  }, 60_000)

  it('deliver each event once with two processes on one database', async () => {
    const database = await createTestDatabase()
    cleanups.push(() => database.drop())
    const receiver = await startWebhookReceiver()
    cleanups.push(() => receiver.stop())
    const first = await startChildServer({ ...database.env, ...webhookEnv })
    cleanups.push(() => first.stop())
    await prepare(database, first, receiver)
    const second = await startChildServer({ ...database.env, ...webhookEnv })
    cleanups.push(() => second.stop())

    await converse([first, second], 12)
    await receiver.waitFor(() => receiver.acknowledged().length >= 24, 30_000)
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(receiver.received).toHaveLength(24)
    expectEachEventOnce(receiver, 12)
  }, 60_000)
})
