import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiClient } from '../helpers/api-client.js'
import { createChatClient, startConversation } from '../helpers/chat-conversation.js'
import { importAndPublish, readFixture } from '../helpers/chat-fixtures.js'
import { buildTypebot, setVariable, text, textInput } from '../helpers/flow-builder.js'
import { retarget, startLocalHttpTarget } from '../helpers/local-http-target.js'
import { scrapeMetrics } from '../helpers/scrape-metrics.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { createTestUser } from '../helpers/users.js'

const metricsToken = 'metrics-token-for-the-test-scraper'

let server: TestServer
let target: Awaited<ReturnType<typeof startLocalHttpTarget>>
beforeAll(async () => {
  target = await startLocalHttpTarget()
  server = await startTestServer({ METRICS_TOKEN: metricsToken, ALLOW_PRIVATE_HTTP_TARGETS: 'true' })
  const owner = await createTestUser(server)
  const codeBot = buildTypebot({
    variables: [{ id: 'v-sum', name: 'Sum' }],
    groups: [
      { id: 'g', title: 'Code', blocks: [setVariable('s-sum', 'v-sum', '1 + 1'), text('t-sum', '{{Sum}}'), textInput('i', 'v-sum')] },
    ],
  })
  await importAndPublish(owner, [
    { fixture: retarget(readFixture('webhook.json'), target.origin), publicId: 'metrics-webhook' },
    { fixture: codeBot, publicId: 'metrics-code' },
  ])
})
afterAll(async () => {
  await server.close()
  await target.close()
})

const scrape = () => scrapeMetrics(server.url, metricsToken)
const sample = (series: Map<string, number>, key: string) => series.get(key) ?? 0

describe('GET /api/metrics', () => {
  it('answers 401 with the usual body without the token or with another one', async () => {
    const call = createApiClient(server.url)
    for (const token of [undefined, 'not-the-metrics-token']) {
      const answer = await call('GET', '/metrics', { token })
      expect(answer.status).toBe(401)
      expect(answer.body).toMatchObject({ code: 'UNAUTHORIZED', message: expect.any(String) })
    }
  })

  it('counts chat turns, sessions, requests by route and outgoing HTTP calls', async () => {
    const before = await scrape()
    const chat = createChatClient(createApiClient(server.url))
    const { reply } = await startConversation(chat, 'metrics-webhook')
    // This choice sends an HTTP request to the local target, which answers 500.
    expect((await reply('Send failing webhook')).status).toBe(200)
    const after = await scrape()
    expect(sample(after, 'botflow_turns_total{kind="start"}') - sample(before, 'botflow_turns_total{kind="start"}')).toBe(1)
    expect(sample(after, 'botflow_turns_total{kind="continue"}') - sample(before, 'botflow_turns_total{kind="continue"}')).toBe(1)
    expect(sample(after, 'botflow_sessions_started_total') - sample(before, 'botflow_sessions_started_total')).toBe(1)
    const outbound = 'botflow_outbound_http_requests_total{outcome="response"}'
    expect(sample(after, outbound) - sample(before, outbound)).toBe(1)
    const replies =
      'botflow_http_request_duration_seconds_count{method="POST",route="/api/v1/sessions/:sessionId/continueChat",status="200"}'
    expect(sample(after, replies) - sample(before, replies)).toBe(1)
    expect(after.has('nodejs_eventloop_lag_seconds')).toBe(true)
    if (server.config.database.kind === 'postgres') expect(after.has('botflow_db_pool_connections{state="total"}')).toBe(true)
  })

  it('counts calls of user JavaScript by outcome', async () => {
    const before = await scrape()
    const { start } = await startConversation(createChatClient(createApiClient(server.url)), 'metrics-code')
    expect(JSON.stringify(start.body.messages)).toContain('"text":"2"')
    const after = await scrape()
    const calls = 'botflow_sandbox_calls_total{outcome="ok"}'
    expect(sample(after, calls) - sample(before, calls)).toBe(1)
  })

  it('does not exist without METRICS_TOKEN', async () => {
    const plain = await startTestServer()
    try {
      const answer = await createApiClient(plain.url)('GET', '/metrics', { token: metricsToken })
      expect(answer.status).toBe(404)
    } finally {
      await plain.close()
    }
  })
})
