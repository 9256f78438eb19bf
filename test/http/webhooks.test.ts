import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { addWorkspaceMember } from '../../src/typebots/add-workspace-member.js'
import { createApiClient } from '../helpers/api-client.js'
import { createChatClient, startConversation } from '../helpers/chat-conversation.js'
import { importAndPublish } from '../helpers/chat-fixtures.js'
import { buildTypebot, text, textInput } from '../helpers/flow-builder.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { createTestUser, type TestUser } from '../helpers/users.js'
import { startWebhookReceiver, verifySignature, type WebhookReceiver } from '../helpers/webhook-receiver.js'

/** One question, then goodbye. */
const askBot = buildTypebot({
  variables: [{ id: 'v-name', name: 'Name' }],
  groups: [
    { id: 'g-ask', title: 'Ask', blocks: [text('t-ask', 'Your name?'), textInput('i-name', 'v-name')], next: 'g-bye' },
    { id: 'g-bye', title: 'Bye', blocks: [text('t-bye', 'Bye {{Name}}')] },
  ],
})

let server: TestServer
let owner: TestUser
let receiver: WebhookReceiver
let typebotId: string
let otherTypebotId: string
const chat = () => createChatClient(createApiClient(server.url))

beforeAll(async () => {
  server = await startTestServer({ ALLOW_PRIVATE_HTTP_TARGETS: 'true', WEBHOOK_RETRY_BASE_MS: '200' })
  owner = await createTestUser(server)
  receiver = await startWebhookReceiver()
  ;[typebotId, otherTypebotId] = (await importAndPublish(owner, [
    { fixture: askBot, publicId: 'hooks-ask' },
    { fixture: askBot, publicId: 'hooks-other' },
  ])) as [string, string]
})
afterAll(async () => {
  await receiver.stop()
  await server.close()
})
beforeEach(() => {
  receiver.received.length = 0
  receiver.mode = 'ok'
})

async function subscribe(body: Record<string, unknown>) {
  const created = await owner.call('POST', `/v1/workspaces/${owner.workspaceId}/webhooks`, { body: { url: receiver.url, ...body } })
  expect(created.status, JSON.stringify(created.body)).toBe(200)
  receiver.secret = created.body.webhook.secret
  return created.body.webhook as { id: string; secret: string }
}

async function unsubscribe(id: string) {
  expect((await owner.call('DELETE', `/v1/workspaces/${owner.workspaceId}/webhooks/${id}`)).status).toBe(200)
}

describe('webhook subscriptions', () => {
  it('shows the signing secret once, rotates it, and lets ADMINs and MEMBERs manage subscriptions', async () => {
    const webhook = await subscribe({ events: ['session.started'], description: 'CRM' })
    expect(webhook.secret).toMatch(/^whsec_/)
    const path = `/v1/workspaces/${owner.workspaceId}/webhooks`
    const listed = await owner.call('GET', path)
    expect(listed.body.webhooks).toEqual([
      expect.objectContaining({ id: webhook.id, url: receiver.url, events: ['session.started'], typebotIds: null, isEnabled: true }),
    ])
    expect(JSON.stringify(listed.body)).not.toContain(webhook.secret)
    expect(JSON.stringify((await owner.call('GET', `${path}/${webhook.id}`)).body)).not.toContain(webhook.secret)

    const patched = await owner.call('PATCH', `${path}/${webhook.id}`, { body: { events: ['session.started', 'answer.received'] } })
    expect(patched.body.webhook).toMatchObject({ events: ['session.started', 'answer.received'] })
    expect(patched.body.webhook.secret).toBeUndefined()
    const rotated = await owner.call('PATCH', `${path}/${webhook.id}`, { body: { rotateSecret: true } })
    expect(rotated.body.webhook.secret).toMatch(/^whsec_/)
    expect(rotated.body.webhook.secret).not.toBe(webhook.secret)

    const member = await createTestUser(server)
    await addWorkspaceMember(server.store, { workspaceId: owner.workspaceId, email: member.email, role: 'MEMBER' })
    expect((await member.call('GET', path)).status).toBe(200)
    const guest = await createTestUser(server)
    await addWorkspaceMember(server.store, { workspaceId: owner.workspaceId, email: guest.email, role: 'GUEST' })
    expect((await guest.call('GET', path)).status).toBe(403)
    expect((await guest.call('POST', path, { body: { url: receiver.url, events: ['session.started'] } })).status).toBe(403)
    const outsider = await createTestUser(server)
    expect([403, 404]).toContain((await outsider.call('DELETE', `${path}/${webhook.id}`)).status)
    expect((await createApiClient(server.url)('GET', path)).status).toBe(401)
    await unsubscribe(webhook.id)
    expect((await owner.call('GET', `${path}/${webhook.id}`)).status).toBe(404)
  })

  it('refuses unknown events, a non-http URL and typebots of another workspace', async () => {
    const path = `/v1/workspaces/${owner.workspaceId}/webhooks`
    expect((await owner.call('POST', path, { body: { url: receiver.url, events: ['session.exploded'] } })).status).toBe(400)
    expect((await owner.call('POST', path, { body: { url: 'ftp://example.com/x', events: ['session.started'] } })).status).toBe(400)
    expect((await owner.call('POST', path, { body: { url: receiver.url, events: [] } })).status).toBe(400)
    const stranger = await createTestUser(server)
    const [strangerTypebot] = await importAndPublish(stranger, [{ fixture: askBot }])
    const foreign = await owner.call('POST', path, {
      body: { url: receiver.url, events: ['session.started'], typebotIds: [strangerTypebot] },
    })
    expect(foreign.status).toBe(400)
    expect(foreign.body.issues).toEqual([expect.objectContaining({ path: ['typebotIds', 0] })])
  })
})

describe('webhook deliveries', () => {
  it('POSTs signed events of a conversation: started, each answer with its variable, completed', async () => {
    const webhook = await subscribe({ events: ['session.started', 'answer.received', 'session.completed'], typebotIds: [typebotId] })
    try {
      const conversation = await startConversation(chat(), 'hooks-ask')
      await conversation.reply('Ada')
      await startConversation(chat(), 'hooks-other')
      // Deliveries run in parallel: they may arrive in any order (receivers order by createdAt).
      const received = await receiver.waitFor((deliveries) => deliveries.length >= 3)
      expect(received.map((delivery) => delivery.eventType).sort()).toEqual(['answer.received', 'session.completed', 'session.started'])
      for (const delivery of received) {
        expect(delivery.isSignatureValid).toBe(true)
        expect(delivery.body).toMatchObject({ id: delivery.eventId, type: delivery.eventType, workspaceId: owner.workspaceId, typebotId })
        expect(verifySignature(String(delivery.headers['x-botflow-signature']), `${delivery.rawBody} `, webhook.secret)).toBe(false)
      }
      const { sessionId, resultId } = conversation.start.body
      expect(received.find((delivery) => delivery.eventType === 'answer.received')?.body.data).toEqual({
        sessionId,
        resultId,
        block: { id: 'i-name', type: 'text input', groupId: 'g-ask', groupTitle: 'Ask', typebotId },
        variable: { id: 'v-name', name: 'Name' },
        value: 'Ada',
      })
      await new Promise((resolve) => setTimeout(resolve, 300))
      expect(receiver.received).toHaveLength(3)
    } finally {
      await unsubscribe(webhook.id)
    }
  })

  it('retries after a 500 with backoff, and logs every attempt', async () => {
    const webhook = await subscribe({ events: ['session.started'] })
    try {
      receiver.mode = 'fail'
      await startConversation(chat(), 'hooks-ask')
      await receiver.waitFor((deliveries) => deliveries.length >= 2)
      receiver.mode = 'ok'
      await receiver.waitFor(() => receiver.acknowledged().length === 1)
      const eventIds = new Set(receiver.received.map((delivery) => delivery.eventId))
      expect(eventIds.size).toBe(1)
      const log = await waitForDeliveryLog(webhook.id, (delivery) => delivery.status === 'delivered')
      expect(log.attempts.map((attempt: { statusCode: number }) => attempt.statusCode)).toEqual([
        ...Array(log.attempts.length - 1).fill(500),
        200,
      ])
      expect(log).toMatchObject({ eventType: 'session.started', deliveredAt: expect.any(String), nextAttemptAt: null })
    } finally {
      await unsubscribe(webhook.id)
    }
  })

  it('delivers what happened while the receiver was down once it is back', async () => {
    const webhook = await subscribe({ events: ['session.started'] })
    try {
      await receiver.stop()
      await startConversation(chat(), 'hooks-ask')
      const failed = await waitForDeliveryLog(webhook.id, (delivery) => delivery.attempts.length >= 1)
      expect(failed.attempts[0]).toMatchObject({ statusCode: null, error: expect.any(String) })
      expect(failed.status).toBe('pending')
      await receiver.start()
      await receiver.waitFor(() => receiver.acknowledged().length === 1)
      expect(receiver.received[0]?.isSignatureValid).toBe(true)
    } finally {
      await unsubscribe(webhook.id)
    }
  })

  it('sends typebot.published and session.updated, and nothing to a disabled subscription', async () => {
    const webhook = await subscribe({ events: ['typebot.published', 'session.updated'] })
    const disabled = await owner.call('POST', `/v1/workspaces/${owner.workspaceId}/webhooks`, {
      body: { url: `${receiver.url}?disabled`, events: ['typebot.published'], isEnabled: false },
    })
    try {
      const { sessionId } = await startConversation(chat(), 'hooks-other')
      expect((await owner.call('POST', `/v1/typebots/${otherTypebotId}/publish`, { body: {} })).status).toBe(200)
      expect((await owner.call('POST', `/v1/sessions/${sessionId}/updateTypebot`)).status).toBe(200)
      const received = await receiver.waitFor((deliveries) => deliveries.length >= 2)
      expect(received.map((delivery) => delivery.eventType).sort()).toEqual(['session.updated', 'typebot.published'])
      expect(received.find((delivery) => delivery.eventType === 'typebot.published')?.body.data).toMatchObject({
        typebotId: otherTypebotId,
        versionId: expect.any(String),
      })
      await new Promise((resolve) => setTimeout(resolve, 300))
      expect(receiver.received).toHaveLength(2)
    } finally {
      await unsubscribe(webhook.id)
      await unsubscribe(disabled.body.webhook.id)
    }
  })
})

async function waitForDeliveryLog(webhookId: string, predicate: (delivery: any) => boolean) {
  const deadline = Date.now() + 20_000
  for (;;) {
    const log = await owner.call('GET', `/v1/workspaces/${owner.workspaceId}/webhooks/${webhookId}/deliveries`)
    expect(log.status, JSON.stringify(log.body)).toBe(200)
    const found = log.body.deliveries.find(predicate)
    if (found) return found
    if (Date.now() > deadline) throw new Error(`no such delivery: ${JSON.stringify(log.body)}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
