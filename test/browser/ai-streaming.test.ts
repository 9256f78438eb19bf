/**
 * Streamed AI answers in Chromium, on our chat page and in Typebot's official web embed
 * (`@typebot.io/js` from node_modules, served by this test on another origin): the fake provider
 * holds its last chunk until the test releases it, so the test sees the answer grow in its bubble,
 * then whole and once, then the next turn.
 */
import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addCredentials, readBasicChatGptTemplate } from '../helpers/ai-flows.js'
import { importAndPublish } from '../helpers/chat-fixtures.js'
import type { FakeAiServer } from '../helpers/fake-ai-server.js'
import { startFakeOpenAiServer } from '../helpers/fake-openai-server.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { createTestUser } from '../helpers/users.js'
import { type Browser, buildWebAssets, eventually, findUndocumentedCalls, launchBrowser, openWatchedPage } from './browser.js'

const embedBundle = fileURLToPath(new URL('../../node_modules/@typebot.io/js/dist/web.js', import.meta.url))

let server: TestServer
let openai: FakeAiServer
let browser: Browser
let site: Server
let siteOrigin: string

beforeAll(async () => {
  buildWebAssets()
  openai = await startFakeOpenAiServer()
  server = await startTestServer({ ALLOW_PRIVATE_HTTP_TARGETS: 'true' })
  const owner = await createTestUser(server)
  await addCredentials(owner, 'openai', { apiKey: 'sk-browser', baseUrl: openai.baseUrl })
  await importAndPublish(owner, [{ fixture: withoutTyping(readBasicChatGptTemplate()), publicId: 'gpt' }])
  site = createServer((request, response) => {
    if (request.url === '/typebot-js/web.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(embedBundle))
      return
    }
    response.writeHead(200, { 'content-type': 'text/html' }).end(embedPage(server.url))
  })
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve))
  siteOrigin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`
  browser = await launchBrowser()
}, 60_000)
afterAll(async () => {
  await browser?.close()
  await server?.close()
  await openai?.close()
  await new Promise<void>((resolve) => (site ? site.close(() => resolve()) : resolve()))
})

/** A customer's page with Typebot's standard embed pointed at botflow. */
function embedPage(apiHost: string): string {
  return `<!doctype html><html><body>
<typebot-standard style="width: 100%; height: 700px"></typebot-standard>
<script type="module">
  import Typebot from '/typebot-js/web.js'
  Typebot.initStandard({ typebot: 'gpt', apiHost: ${JSON.stringify(apiHost)} })
</script></body></html>`
}

/** The template with typing emulation off, so the test waits on streaming, not on a typing delay. */
function withoutTyping(document: Record<string, unknown>): Record<string, unknown> {
  return { ...document, settings: { general: {}, typingEmulation: { enabled: false } } }
}

type Surface = { open(page: Page): Promise<void>; hostBubbles(page: Page): Locator; answerField(page: Page): Locator }

const surfaces: Record<string, Surface> = {
  'the chat page': {
    open: async (page) => void (await page.goto(`${server.url}/gpt`)),
    hostBubbles: (page) => page.getByRole('log').locator('.bf-bubble-host'),
    answerField: (page) => page.getByRole('log').locator('..').getByRole('textbox'),
  },
  "Typebot's web embed": {
    open: async (page) => void (await page.goto(siteOrigin)),
    hostBubbles: (page) => page.locator('typebot-standard .typebot-host-bubble'),
    answerField: (page) => page.locator('typebot-standard').getByPlaceholder('Type your answer...'),
  },
}

describe('a streamed AI answer', () => {
  it.each(Object.keys(surfaces))('grows in one bubble on %s, then the conversation goes on', { timeout: 60_000 }, async (name) => {
    const surface = surfaces[name] as Surface
    const { page, errors, apiCalls } = await openWatchedPage(browser.context, server.url)
    await surface.open(page)
    const texts = () => surface.hostBubbles(page).allInnerTexts()
    await eventually(texts).toEqual(['Hi there 👋', 'How can I help?'])

    let release: () => void = () => undefined
    const released = new Promise<void>((resolve) => {
      release = resolve
    })
    openai.reply({ kind: 'held', chunks: ['The answer ', 'is ', 'forty-two.'], released }, { kind: 'text', text: 'Still forty-two.' })
    const sent = openai.requests.length
    await surface.answerField(page).fill('What is the answer?')
    await surface.answerField(page).press('Enter')

    // Part of the answer is on screen while the provider still holds the rest.
    await eventually(async () => (await texts()).at(-1)?.trim()).toBe('The answer is')
    release()
    await eventually(async () => (await texts()).at(-1)?.trim()).toBe('The answer is forty-two.')
    await expect.poll(() => surface.answerField(page).isVisible(), { timeout: 10_000 }).toBe(true)
    expect((await texts()).filter((text) => text.includes('forty-two'))).toHaveLength(1)

    await surface.answerField(page).fill('Are you sure?')
    await surface.answerField(page).press('Enter')
    await eventually(async () => (await texts()).at(-1)?.trim()).toBe('Still forty-two.')
    const second = openai.requests[sent + 1]
    expect(second?.body.stream).toBe(true)
    expect(second?.body.messages).toEqual([
      { role: 'user', content: 'What is the answer?' },
      { role: 'assistant', content: 'The answer is forty-two.' },
      { role: 'user', content: 'Are you sure?' },
    ])
    expect(apiCalls.filter((call) => call.endsWith('/streamMessage'))).toHaveLength(2)
    if (name === 'the chat page') {
      const openapi = await (await fetch(`${server.url}/api/openapi.json`)).json()
      expect(findUndocumentedCalls(apiCalls, openapi)).toEqual([])
    }
    // The embed also asks the internet for fonts, which the test browser refuses.
    expect(errors.filter((error) => !(name !== 'the chat page' && error === 'Failed to load resource: net::ERR_FAILED'))).toEqual([])
    await page.close()
  })

  it('renders Markdown on our chat page while it arrives and when it is whole, never as HTML', { timeout: 60_000 }, async () => {
    const surface = surfaces['the chat page'] as Surface
    const { page, errors } = await openWatchedPage(browser.context, server.url)
    await surface.open(page)
    await eventually(() => surface.hostBubbles(page).allInnerTexts()).toEqual(['Hi there 👋', 'How can I help?'])
    let release: () => void = () => undefined
    const released = new Promise<void>((resolve) => {
      release = resolve
    })
    const chunks = ['Here is **bo', 'ld** news:\n\n- one\n', '- <img src=x onerror="window.pwned=1">two']
    openai.reply({ kind: 'held', chunks, released })
    await surface.answerField(page).fill('Format it')
    await surface.answerField(page).press('Enter')

    const streamed = surface.hostBubbles(page).last()
    // Before the last chunk: the bold part and the first list item are already rendered.
    await eventually(() => streamed.locator('strong').allInnerTexts()).toEqual(['bold'])
    await eventually(() => streamed.locator('li').allInnerTexts()).toEqual(['one'])
    release()
    await eventually(() => streamed.locator('li').allInnerTexts()).toEqual(['one', '<img src=x onerror="window.pwned=1">two'])
    expect(await streamed.locator('strong').allInnerTexts()).toEqual(['bold'])
    expect(await streamed.locator('img').count()).toBe(0)
    expect(await page.evaluate(() => (window as { pwned?: number }).pwned)).toBeUndefined()
    await expect.poll(() => surface.answerField(page).isVisible(), { timeout: 10_000 }).toBe(true)
    expect(errors).toEqual([])
    await page.close()
  })
})
