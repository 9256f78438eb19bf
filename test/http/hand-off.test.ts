/**
 * The issue's story end to end over HTTP: a bot hands a conversation to a human and takes it
 * back, with a webhook receiver standing in for the operator's inbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiClient } from '../helpers/api-client.js'
import { createChatClient, startConversation, textsOf } from '../helpers/chat-conversation.js'
import { importAndPublish } from '../helpers/chat-fixtures.js'
import { buildTypebot, text, textInput } from '../helpers/flow-builder.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { createTestUser, type TestUser } from '../helpers/users.js'
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js'

const supportBot = buildTypebot({
  variables: [
    { id: 'v-issue', name: 'Issue' },
    { id: 'v-ticket', name: 'Ticket' },
    { id: 'v-ok', name: 'Ok' },
  ],
  groups: [
    { id: 'g-ask', title: 'Ask', blocks: [text('t-ask', 'What is the problem?'), textInput('i-issue', 'v-issue')], next: 'g-ticket' },
    { id: 'g-ticket', title: 'Ticket', blocks: [text('t-ticket', 'Ticket {{Ticket}} is open for "{{Issue}}"'), textInput('i-ok', 'v-ok')] },
  ],
})

let server: TestServer
let operator: TestUser
let receiver: WebhookReceiver
beforeAll(async () => {
  server = await startTestServer({ ALLOW_PRIVATE_HTTP_TARGETS: 'true', WEBHOOK_RETRY_BASE_MS: '200' })
  operator = await createTestUser(server)
  receiver = await startWebhookReceiver()
  await importAndPublish(operator, [{ fixture: supportBot, publicId: 'support-desk' }])
  const subscribed = await operator.call('POST', `/v1/workspaces/${operator.workspaceId}/webhooks`, {
    body: { url: receiver.url, events: ['message.received', 'session.paused', 'session.resumed'] },
  })
  receiver.secret = subscribed.body.webhook.secret
})
afterAll(async () => {
  await receiver.stop()
  await server.close()
})

describe('hand-off to a human and back', () => {
  it('pauses the bot, keeps and announces what the user writes, then resumes with the variable the operator set', async () => {
    const user = await startConversation(createChatClient(createApiClient(server.url)), 'support-desk')
    const { sessionId, resultId } = user.start.body
    expect(textsOf(user.start)).toEqual(['What is the problem?'])

    expect((await operator.call('POST', `/v1/sessions/${sessionId}/pause`, { body: { reason: 'VIP customer' } })).status).toBe(200)
    for (const message of ['My order never arrived', 'Order 1234']) {
      const answer = await user.reply(message)
      expect(answer.body).toEqual({ messages: [] })
    }
    const received = await receiver.waitFor((deliveries) => deliveries.filter((d) => d.eventType === 'message.received').length === 2)
    const messages = received.filter((delivery) => delivery.eventType === 'message.received')
    expect(messages.every((delivery) => delivery.isSignatureValid)).toBe(true)
    expect(messages.map((delivery) => delivery.body.data.message.text).sort()).toEqual(['My order never arrived', 'Order 1234'])
    expect(messages[0]?.body.data).toMatchObject({ sessionId, resultId })
    expect(received.find((delivery) => delivery.eventType === 'session.paused')?.body.data).toMatchObject({
      sessionId,
      reason: 'VIP customer',
    })

    const transcript = await operator.call('GET', `/v1/typebots/${user.start.body.typebot.id}/results/${resultId}/transcript`)
    expect(transcript.body.transcript).toEqual([
      { role: 'bot', type: 'text', text: 'What is the problem?' },
      { role: 'user', type: 'text', text: 'My order never arrived' },
      { role: 'user', type: 'text', text: 'Order 1234' },
    ])

    await operator.call('PATCH', `/v1/sessions/${sessionId}/variables`, { body: { variables: { Ticket: 42, Issue: 'missing order' } } })
    const resumed = await operator.call('POST', `/v1/sessions/${sessionId}/resume`, { body: { startFrom: { groupId: 'g-ticket' } } })
    expect(resumed.status, JSON.stringify(resumed.body)).toBe(200)
    expect(textsOf({ ...resumed, body: resumed.body.reply })).toEqual(['Ticket 42 is open for "missing order"'])
    const announced = await receiver.waitFor((deliveries) => deliveries.some((d) => d.eventType === 'session.resumed'))
    expect(announced.find((delivery) => delivery.eventType === 'session.resumed')?.body.data.reply.input.id).toBe('i-ok')

    const next = await user.reply('Thanks!')
    expect(next.status).toBe(200)
    expect(next.body.messages).toEqual([])
    expect((await operator.call('GET', `/v1/sessions/${sessionId}`)).status).toBe(404)
  })
})
