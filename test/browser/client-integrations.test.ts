import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importAndPublish } from '../helpers/chat-fixtures.js'
import { buildTypebot, text } from '../helpers/flow-builder.js'
import { type LocalServer, listenLocally } from '../helpers/local-server.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { createTestUser, type TestUser } from '../helpers/users.js'
import { type Browser, buildWebAssets, eventually, launchBrowser, openWatchedPage } from './browser.js'

let server: TestServer
let browser: Browser
let owner: TestUser
let chatwoot: LocalServer
let typebotId: string

/** Chatwoot's SDK as the page loads it from `baseUrl`: records what the flow's script asks of the widget. */
const fakeChatwootSdk = `window.chatwootCalls = [];
window.chatwootSDK = { run(config) {
  window.chatwootCalls.push(['run', config.websiteToken, config.baseUrl]);
  window.$chatwoot = {
    setUser(id, attributes) { window.chatwootCalls.push(['setUser', id, attributes]) },
    toggle(state) { window.chatwootCalls.push(['toggle', state]) },
  };
  window.dispatchEvent(new Event('chatwoot:ready'));
} };`

beforeAll(async () => {
  buildWebAssets()
  chatwoot = await listenLocally((request, response) => {
    if (request.url !== '/packs/js/sdk.js') return void response.writeHead(404).end()
    response.writeHead(200, { 'content-type': 'text/javascript' }).end(fakeChatwootSdk)
  })
  server = await startTestServer()
  owner = await createTestUser(server)
  const document = buildTypebot({
    groups: [
      {
        id: 'g1',
        title: 'Start',
        blocks: [
          text('t1', 'Hello {{Name}}'),
          {
            id: 'ga',
            type: 'Google Analytics',
            options: { trackingId: 'G-TEST123', action: 'signup', category: 'bot', label: '{{Name}}', value: '{{Score}}' },
          },
          {
            id: 'px',
            type: 'Pixel',
            options: { pixelId: '424242', eventType: 'Lead', params: [{ id: 'p1', key: 'who', value: '{{Name}}' }] },
          },
          {
            id: 'cw',
            type: 'Chatwoot',
            options: {
              baseUrl: chatwoot.origin,
              websiteToken: 'token-1',
              user: { id: 'user-{{Name}}', name: '{{Name}}', email: 'ada@example.com' },
            },
          },
          text('t2', 'Waiting for the payment system'),
          { id: 'wh', type: 'webhook' },
          text('t3', 'The webhook was called'),
        ],
      },
    ],
    variables: [
      { id: 'vName', name: 'Name', value: 'Ada' },
      { id: 'vScore', name: 'Score', value: '42' },
    ],
  })
  ;[typebotId = ''] = await importAndPublish(owner, [
    { fixture: { ...document, settings: { typingEmulation: { enabled: false } } }, publicId: 'integrations' },
  ])
  browser = await launchBrowser()
}, 60_000)
afterAll(async () => {
  await browser?.close()
  await chatwoot?.close()
  await server?.close()
})

describe('client-side integrations on the chat page', () => {
  it('sends Google Analytics and Pixel events, opens Chatwoot, and waits for the webhook until it is called', {
    timeout: 60_000,
  }, async () => {
    const { page, errors, apiCalls } = await openWatchedPage(browser.context, server.url)
    // Google's and Facebook's scripts are not reachable from here: empty stand-ins keep the queues as they are.
    for (const pattern of ['https://www.googletagmanager.com/**', 'https://connect.facebook.net/**']) {
      await page.route(pattern, (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body: '' }))
    }
    await page.goto(`${server.url}/integrations`)
    const log = page.getByRole('log')
    await eventually(() => log.locator('.bf-bubble-host').last().innerText()).toBe('Waiting for the payment system')

    // gtag and fbq queue what they are given until Google's and Facebook's scripts take over.
    const events = await page.evaluate(() => ({
      gtag: (window.dataLayer ?? []).map((entry) => Array.from(entry as ArrayLike<unknown>)),
      fbq: window.fbq?.queue ?? [],
    }))
    expect(events.gtag).toContainEqual(['config', 'G-TEST123'])
    expect(events.gtag).toContainEqual(['event', 'signup', { event_category: 'bot', event_label: 'Ada', value: 42 }])
    expect(events.fbq).toEqual([
      ['init', '424242'],
      ['track', 'PageView'],
      ['trackSingle', '424242', 'Lead', { who: 'Ada' }],
    ])
    await eventually(() => page.evaluate(() => (window as unknown as { chatwootCalls?: unknown[] }).chatwootCalls)).toEqual([
      ['run', 'token-1', chatwoot.origin],
      ['setUser', 'user-Ada', { email: 'ada@example.com', name: 'Ada' }],
      ['toggle', 'open'],
    ])

    // The page asks again and again (continueChat without a message) while nobody called the webhook.
    await eventually(() => apiCalls.filter((call) => call.endsWith('/continueChat')).length).toBeGreaterThanOrEqual(1)
    expect(await log.locator('.bf-bubble-host').last().innerText()).toBe('Waiting for the payment system')
    const result = await owner.call('GET', `/v1/typebots/${typebotId}/results`)
    const resultId = result.body.results[0].id
    const called = await owner.call('POST', `/v1/typebots/${typebotId}/blocks/wh/results/${resultId}/executeWebhook`, {
      body: { ok: true },
    })
    expect(called.status).toBe(200)
    await eventually(() => log.locator('.bf-bubble-host').last().innerText()).toBe('The webhook was called')
    expect(errors).toEqual([])
  })
})
