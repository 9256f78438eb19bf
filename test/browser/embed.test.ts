import { afterAll, beforeAll, expect, it } from 'vitest'
import { importAndPublish, readFixture } from '../helpers/chat-fixtures.js'
import { type LocalServer, listenLocally } from '../helpers/local-server.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { createTestUser } from '../helpers/users.js'
import { artifactPath, type Browser, buildWebAssets, describeInBrowser, eventually, launchBrowser, openWatchedPage } from './browser.js'

let server: TestServer
let browser: Browser
let site: LocalServer

beforeAll(async () => {
  buildWebAssets()
  server = await startTestServer()
  const owner = await createTestUser(server)
  const main = readFixture('chat/main.json')
  await importAndPublish(owner, [
    { fixture: 'chat/linkedBot.json', alias: 'chat-sub-bot' },
    { fixture: { ...main, settings: { ...(main.settings as object), typingEmulation: { enabled: false } } }, publicId: 'complete-bot' },
  ])
  // A customer's website on another origin (another port) with the one-line snippet.
  site = await listenLocally((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    response.end(`<!doctype html><html><head><title>A customer site</title></head>
<body style="font-family: sans-serif; background: #f4f4f5"><h1>Welcome to our shop</h1><p>Questions? Ask our bot.</p>
<script src="${server.url}/complete-bot/embed.js" async></script>
</body></html>`)
  })
  browser = await launchBrowser()
}, 60_000)
afterAll(async () => {
  await browser?.close()
  await site?.close()
  await server?.close()
})

describeInBrowser('the embed snippet', () => {
  it('adds a chat bubble to a page of another origin, which opens a working chat', { timeout: 60_000 }, async () => {
    const { page, errors } = await openWatchedPage(browser.context, server.url)
    const iframeReferrers: (string | undefined)[] = []
    page.on('request', (request) => {
      if (request.url().includes('/startChat')) iframeReferrers.push(request.headers()['x-typebot-iframe-referrer-origin'])
    })
    await page.goto(site.origin)
    const launcher = page.locator('[data-botflow-embed]').getByRole('button', { name: 'Open chat: Complete bot' })
    await launcher.waitFor()
    expect(await launcher.getAttribute('aria-expanded')).toBe('false')
    // No session before the visitor opens the chat.
    expect(iframeReferrers).toEqual([])

    await launcher.click()
    const frameElement = page.locator('[data-botflow-embed] iframe')
    expect(await frameElement.getAttribute('src')).toBe(`${server.url}/complete-bot`)
    const chat = page.frameLocator('[data-botflow-embed] iframe')
    await chat.getByText("Welcome. What's your name?").waitFor()
    await chat.getByPlaceholder('Type your answer...').fill('John')
    await chat.getByPlaceholder('Type your answer...').press('Enter')
    await chat.getByText('Nice to meet you John').waitFor()
    expect(iframeReferrers).toEqual([site.origin])
    await page.screenshot({ path: artifactPath('embed-on-another-site.png') })

    await page.keyboard.press('Escape')
    await eventually(() => page.locator('[data-botflow-embed] [role="dialog"]').isVisible()).toBe(false)
    expect(await page.locator('[data-botflow-embed] .launcher').getAttribute('aria-expanded')).toBe('false')
    expect(errors).toEqual([])
    await page.close()
  })

  it('lets a script on another origin call the Chat API directly (CORS)', async () => {
    const { page } = await openWatchedPage(browser.context, server.url)
    await page.goto(site.origin)
    const conversation = await page.evaluate(async (api) => {
      const post = async (path: string, body: unknown) => {
        const response = await fetch(`${api}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
        return { status: response.status, body: await response.json() }
      }
      const start = await post('/api/v1/typebots/complete-bot/startChat', {})
      const next = await post(`/api/v1/sessions/${start.body.sessionId}/continueChat`, { message: 'Jane' })
      return { startStatus: start.status, nextStatus: next.status, inputType: next.body.input?.type }
    }, server.url)
    expect(conversation).toEqual({ startStatus: 200, nextStatus: 200, inputType: 'number input' })
    await page.close()
  })

  it('answers 404 for the snippet of an unknown typebot', async () => {
    const response = await fetch(`${server.url}/no-such-bot/embed.js`)
    expect(response.status).toBe(404)
    expect(response.headers.get('content-type')).toMatch(/javascript/)
    expect(await response.text()).toContain('no published typebot has the public id "no-such-bot"')
  })
})
