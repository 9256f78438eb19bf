/**
 * /api/metrics counts what the server does for bots beyond the turn: AI calls by provider and
 * outcome, e-mails sent and failed, event webhook attempts (delivered, failed, dead) and uploads.
 * Each is caused over HTTP, then read from a scrape.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addCredentials, aiFlow, chatOptions, forgedAiBlock } from '../helpers/ai-flows.js'
import { createApiClient } from '../helpers/api-client.js'
import { createChatClient, startConversation } from '../helpers/chat-conversation.js'
import { importAndPublish } from '../helpers/chat-fixtures.js'
import type { FakeAiServer } from '../helpers/fake-ai-server.js'
import { startFakeOpenAiServer } from '../helpers/fake-openai-server.js'
import { type FakeSmtp, startFakeSmtp } from '../helpers/fake-smtp-server.js'
import { buildTypebot, type TestBlock, text, textInput } from '../helpers/flow-builder.js'
import { grewBy, scrapeMetrics } from '../helpers/scrape-metrics.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { createTestUser, type TestUser } from '../helpers/users.js'
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js'

const metricsToken = 'metrics-token-for-the-effects-scraper'

let server: TestServer
let owner: TestUser
let openai: FakeAiServer
let smtp: FakeSmtp
let receiver: WebhookReceiver

const chat = () => createChatClient(createApiClient(server.url))
const scrape = () => scrapeMetrics(server.url, metricsToken)

function mailBot(email: TestBlock) {
  return buildTypebot({ variables: [], groups: [{ id: 'g', title: 'Mail', blocks: [text('t', 'Sending'), email, text('d', 'Done')] }] })
}
const emailBlock = (options: Record<string, unknown>): TestBlock => ({
  id: 'mail',
  type: 'Email',
  options: { recipients: ['someone@example.com'], subject: 'Hi', isCustomBody: true, body: 'Hello', ...options },
})

beforeAll(async () => {
  openai = await startFakeOpenAiServer()
  smtp = await startFakeSmtp()
  receiver = await startWebhookReceiver()
  server = await startTestServer({
    METRICS_TOKEN: metricsToken,
    ALLOW_PRIVATE_HTTP_TARGETS: 'true',
    // Retries 100 ms apart, and over after about a second: a failing receiver soon makes a dead delivery.
    WEBHOOK_RETRY_BASE_MS: '100',
    WEBHOOK_RETRY_HOURS: '0.0003',
  })
  owner = await createTestUser(server)
  await addCredentials(owner, 'openai', { apiKey: 'sk-metrics', baseUrl: openai.baseUrl })
  const smtpId = await addCredentials(owner, 'smtp', {
    host: smtp.host,
    port: smtp.port,
    username: 'bot',
    password: 'secret-pass',
    from: { email: 'bot@botflow.test' },
  })
  // The fake refuses this login: the e-mail fails at the SMTP server.
  const wrongLoginId = await addCredentials(
    owner,
    'smtp',
    { host: smtp.host, port: smtp.port, username: 'bot', password: 'wrong-pass', from: { email: 'bot@botflow.test' } },
    'wrong login',
  )
  const fileBot = buildTypebot({
    variables: [{ id: 'v-file', name: 'File' }],
    groups: [{ id: 'g', title: 'File', blocks: [{ id: 'i-file', type: 'file input', options: { variableId: 'v-file', sizeLimit: 1 } }] }],
  })
  await importAndPublish(owner, [
    { fixture: aiFlow(forgedAiBlock('openai', chatOptions()), { loop: true }), publicId: 'metrics-ai' },
    { fixture: mailBot(emailBlock({ credentialsId: smtpId })), publicId: 'metrics-mail-sent' },
    { fixture: mailBot(emailBlock({ credentialsId: wrongLoginId })), publicId: 'metrics-mail-failed' },
    { fixture: fileBot, publicId: 'metrics-upload' },
    {
      fixture: buildTypebot({ variables: [{ id: 'v', name: 'V' }], groups: [{ id: 'g', title: 'Ask', blocks: [textInput('i', 'v')] }] }),
      publicId: 'metrics-hook',
    },
  ])
}, 60_000)
afterAll(async () => {
  await server?.close()
  await openai?.close()
  await smtp?.close()
  await receiver?.stop()
})

describe('GET /api/metrics counts the effects of bots', () => {
  it('counts AI calls by provider and outcome', async () => {
    const before = await scrape()
    const conversation = await startConversation(chat(), 'metrics-ai')
    expect((await conversation.reply('What is up?')).status).toBe(200)
    openai.reply({ kind: 'error', status: 401, message: 'Incorrect API key provided' })
    expect((await conversation.reply('And now?')).status).toBe(200)
    const after = await scrape()
    expect(grewBy(before, after, 'botflow_ai_calls_total{provider="openai",outcome="ok"}')).toBe(1)
    expect(grewBy(before, after, 'botflow_ai_calls_total{provider="openai",outcome="error"}')).toBe(1)
  })

  it('counts e-mails sent and failed', async () => {
    const before = await scrape()
    await startConversation(chat(), 'metrics-mail-sent')
    await startConversation(chat(), 'metrics-mail-failed')
    const after = await scrape()
    expect(smtp.received).toHaveLength(1)
    expect(grewBy(before, after, 'botflow_emails_total{outcome="sent"}')).toBe(1)
    expect(grewBy(before, after, 'botflow_emails_total{outcome="failed"}')).toBe(1)
  })

  it('counts webhook attempts: delivered, failed (retried) and dead', async () => {
    const subscribed = await owner.call('POST', `/v1/workspaces/${owner.workspaceId}/webhooks`, {
      body: { url: receiver.url, events: ['session.started'] },
    })
    expect(subscribed.status).toBe(200)
    receiver.secret = subscribed.body.webhook.secret
    const before = await scrape()
    await startConversation(chat(), 'metrics-hook')
    await receiver.waitFor((received) => received.some((delivery) => delivery.answeredStatus === 200))

    receiver.mode = 'fail'
    await startConversation(chat(), 'metrics-hook')
    let after = await scrape()
    for (let poll = 0; poll < 100 && grewBy(before, after, 'botflow_webhook_deliveries_total{outcome="dead"}') < 1; poll++) {
      await new Promise((resolve) => setTimeout(resolve, 100))
      after = await scrape()
    }
    expect(grewBy(before, after, 'botflow_webhook_deliveries_total{outcome="delivered"}')).toBe(1)
    expect(grewBy(before, after, 'botflow_webhook_deliveries_total{outcome="failed"}')).toBeGreaterThanOrEqual(1)
    expect(grewBy(before, after, 'botflow_webhook_deliveries_total{outcome="dead"}')).toBe(1)
    const attempts = receiver.received.filter((delivery) => delivery.answeredStatus === 500).length
    expect(grewBy(before, after, 'botflow_webhook_deliveries_total{outcome="failed"}') + 1).toBe(attempts)
  })

  it('counts uploads stored and too large', async () => {
    const before = await scrape()
    for (const size of [10, 1_500_000]) {
      const { sessionId } = await startConversation(chat(), 'metrics-upload')
      const generated = await createApiClient(server.url)('POST', '/v3/generate-upload-url', {
        body: { sessionId, blockId: 'i-file', fileName: 'file.txt', fileType: 'text/plain' },
      })
      expect(generated.status).toBe(200)
      const sent = await fetch(generated.body.presignedUrl, {
        method: 'PUT',
        body: 'x'.repeat(size),
        headers: { 'content-type': 'text/plain' },
      })
      expect(sent.status).toBe(size === 10 ? 204 : 413)
    }
    const after = await scrape()
    expect(grewBy(before, after, 'botflow_uploads_total{outcome="stored"}')).toBe(1)
    expect(grewBy(before, after, 'botflow_uploads_total{outcome="too_large"}')).toBe(1)
  })
})
