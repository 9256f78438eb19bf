import { afterAll, beforeAll, expect, it } from 'vitest'
import { ensureDemoTypebot } from '../../src/demo/ensure-demo-typebot.js'
import { importAndPublish, readFixture } from '../helpers/chat-fixtures.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { createTestUser, type TestUser } from '../helpers/users.js'
import {
  artifactPath,
  type Browser,
  buildWebAssets,
  describeInBrowser,
  eventually,
  findUndocumentedCalls,
  isFocused,
  launchBrowser,
  openWatchedPage,
} from './browser.js'

let server: TestServer
let owner: TestUser
let browser: Browser
let openapi: { paths: Record<string, Record<string, unknown>> }

beforeAll(async () => {
  buildWebAssets()
  server = await startTestServer()
  owner = await createTestUser(server)
  await importAndPublish(owner, [
    { fixture: 'chat/linkedBot.json', alias: 'chat-sub-bot' },
    { fixture: withQuickTyping(readFixture('chat/main.json')), publicId: 'complete-bot' },
    { fixture: richTextBot(), publicId: 'rich-bot' },
    { fixture: readFixture('chat/startingWithInput.json'), publicId: 'draft-only', publish: false },
  ])
  await ensureDemoTypebot(server.store)
  openapi = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as typeof openapi
  browser = await launchBrowser()
}, 60_000)
afterAll(async () => {
  await browser?.close()
  await server?.close()
})

/** Records, in order, when the typing indicator shows and when a bot bubble arrives. */
const recordTimeline = () => {
  const events: string[] = []
  ;(window as unknown as { __timeline: string[] }).__timeline = events
  new MutationObserver(() => {
    const typing = document.querySelector('.bf-typing')
    const isTyping = typing instanceof HTMLElement && !typing.hidden
    const bubbles = document.querySelectorAll('.bf-log .bf-bubble-host').length
    const last = events[events.length - 1]
    if (isTyping && last !== 'typing') events.push('typing')
    if (bubbles > events.filter((event) => event === 'bubble').length) events.push('bubble')
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['hidden'] })
}

describeInBrowser('the chat page', () => {
  it('runs the whole chat/main.json conversation: typing, answers, buttons, the email retry, the linked bot', {
    timeout: 60_000,
  }, async () => {
    const { page, errors, apiCalls } = await openWatchedPage(browser.context, server.url)
    await page.addInitScript(recordTimeline)
    await page.goto(`${server.url}/complete-bot`)
    const log = page.getByRole('log')
    const hostTexts = () => log.locator('.bf-bubble-host').allInnerTexts()
    await eventually(hostTexts).toEqual(['Hi there! 👋', "Welcome. What's your name?"])
    // The second bubble was announced by the typing indicator (the first is not: isDisabledOnFirstMessage).
    const timeline = await page.evaluate(() => (window as unknown as { __timeline: string[] }).__timeline)
    expect(timeline.slice(timeline.indexOf('bubble'))).toEqual(['bubble', 'typing', 'bubble'])

    const answer = async (placeholder: string, text: string) => {
      const field = page.getByPlaceholder(placeholder)
      await field.fill(text)
      await field.press('Enter')
    }
    await answer('Type your answer...', 'John')
    await log.getByText('Nice to meet you John').waitFor()
    expect(await log.locator('img.bf-image').getAttribute('src')).toMatch(/giphy\.com/)
    await answer('Type a number...', '24')
    await log.getByText('How would you rate the experience so far?').waitFor()
    expect(await hostTexts()).toContain('My magic number is 42')

    const rating = page.getByRole('group', { name: 'Rating' })
    await eventually(() => rating.getByRole('button').allInnerTexts()).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10'])
    await rating.getByRole('button', { name: '8', exact: true }).click()
    await page.getByRole('button', { name: 'Send' }).click()
    await log.getByText("I'm gonna shoot multiple inputs now...").waitFor()

    await answer('Type your email...', 'invalid email')
    await log.getByText("This email doesn't seem to be valid. Can you type it again?").waitFor()
    await answer('Type your email...', 'typebot@email.com')
    await answer('Type a URL...', 'https://typebot.io')
    await page.getByRole('button', { name: 'Yes' }).click()
    await log.getByText("Let's trigger a webhook...").waitFor()
    await eventually(() => page.locator('.bf-input-area > *').count()).toBe(0)

    expect(await log.locator('.bf-bubble-guest').allInnerTexts()).toEqual([
      'John',
      '24',
      '8',
      'invalid email',
      'typebot@email.com',
      'https://typebot.io',
      'Yes',
    ])
    expect((await hostTexts()).slice(-2)).toEqual(['Ok, you are solid 👏', "Let's trigger a webhook..."])
    // The typebot's theme: guest bubbles #FF8E21, buttons #0042DA, the host avatar picture.
    expect(
      await log
        .locator('.bf-bubble-guest')
        .first()
        .evaluate((element) => getComputedStyle(element).backgroundColor),
    ).toBe('rgb(255, 142, 33)')
    expect(await log.locator('.bf-avatar-host img').first().getAttribute('src')).toMatch(/avatars\.githubusercontent\.com/)
    await page.screenshot({ path: artifactPath('chat-main-desktop.png'), fullPage: true })

    expect(apiCalls[0]).toBe('POST /api/v1/typebots/complete-bot/startChat')
    expect(apiCalls.filter((call) => call.endsWith('/continueChat'))).toHaveLength(7)
    expect(findUndocumentedCalls(apiCalls, openapi)).toEqual([])
    expect(errors).toEqual([])
    await page.close()
  })

  it('renders rich text with DOM nodes, and a hostile variable as plain text', async () => {
    const { page, errors, dialogs } = await openWatchedPage(browser.context, server.url)
    const payload = '<img src=x onerror="window.__xss=1;alert(1)"><script>window.__xss=2</script>'
    const query = new URLSearchParams({ Payload: payload, Link: 'javascript:alert(3)', 'Embed URL': 'javascript:alert(4)' })
    await page.goto(`${server.url}/rich-bot?${query}`)
    const log = page.getByRole('log')
    const field = page.getByPlaceholder('Type your answer...')
    await field.waitFor()
    const rich = log.locator('[data-block-id="rich"]')
    expect(await rich.locator('strong').innerText()).toBe('bold')
    expect(await rich.locator('em').innerText()).toBe('italic')
    expect(await rich.locator('u').innerText()).toBe('underlined')
    const link = rich.getByRole('link', { name: 'a link' })
    expect(
      await link.evaluate((anchor) => [anchor.getAttribute('href'), anchor.getAttribute('rel'), anchor.getAttribute('target')]),
    ).toEqual(['https://example.com/', 'noopener noreferrer', '_blank'])
    expect(await log.locator('[data-block-id="list"] li').allInnerTexts()).toEqual(['first point', 'second point'])

    expect(await log.locator('[data-block-id="echo"]').innerText()).toBe(`Echo: ${payload}`)
    // The javascript: link became text, the javascript: embed no frame at all.
    expect(await log.locator('[data-block-id="hostile-link"]').innerText()).toBe('click me')
    expect(await log.locator('[data-block-id="hostile-link"] a').count()).toBe(0)
    expect(await page.locator('iframe').count()).toBe(0)

    // The same payload typed as an answer is echoed as text too.
    await field.fill(payload)
    await field.press('Enter')
    const echo = log.locator('[data-block-id="answer-echo"]')
    await echo.waitFor()
    expect(await echo.innerText()).toBe(`You said: ${payload}`)
    expect(await log.locator('.bf-bubble-guest').innerText()).toBe(payload)

    expect(await page.locator('img[src="x"], .bf-log script').count()).toBe(0)
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined()
    expect(dialogs).toEqual([])
    // The query parameters were prefilled variables; the address bar no longer shows them.
    expect(new URL(page.url()).search).toBe('')
    expect(errors).toEqual([])
    await page.close()
  })

  it('shows a failed request as an error line and lets the user answer again, or start again when the session is gone', async () => {
    const { page, errors } = await openWatchedPage(browser.context, server.url)
    await page.goto(`${server.url}/rich-bot`)
    const log = page.getByRole('log')
    const field = page.getByPlaceholder('Type your answer...')

    await page.route('**/continueChat', (route) => route.abort())
    await field.fill('first try')
    await field.press('Enter')
    await log.getByRole('alert').getByText('Network Error: Please check your internet connection and try again.').waitFor()
    await page.unroute('**/continueChat')
    await field.fill('second try')
    await field.press('Enter')
    await log.getByText('You said: second try').waitFor()

    await page.goto(`${server.url}/rich-bot`)
    await page.route('**/continueChat', (route) =>
      route.fulfill({
        status: 404,
        contentType: 'application/json',
        body: JSON.stringify({ message: 'Session not found.', code: 'NOT_FOUND' }),
      }),
    )
    await field.fill('too late')
    await field.press('Enter')
    await log.getByRole('alert').getByText('Session not found. This conversation is over.').waitFor()
    expect(await page.locator('.bf-input-area > *').count()).toBe(0)
    await page.unroute('**/continueChat')
    await log.getByRole('button', { name: 'Start again' }).click()
    await eventually(() => log.locator('.bf-bubble-guest').count()).toBe(0)
    await field.fill('fresh start')
    await field.press('Enter')
    await log.getByText('You said: fresh start').waitFor()
    // Chromium reports the failed requests themselves on the console; nothing else went wrong.
    expect(errors.filter((error) => !error.startsWith('Failed to load resource'))).toEqual([])
    await page.close()
  })

  it('answers 404 with a page for an unknown or unpublished public id', async () => {
    const { page } = await openWatchedPage(browser.context, server.url)
    for (const publicId of ['no-such-bot', 'draft-only']) {
      const response = await page.goto(`${server.url}/${publicId}`)
      expect(response?.status()).toBe(404)
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('This chat does not exist')
      expect(await page.locator('code').innerText()).toBe(publicId)
    }
    await page.close()
  })

  it('plays the demo with the keyboard alone on a 360 px wide phone', { timeout: 60_000 }, async () => {
    const { page, errors } = await openWatchedPage(browser.context, server.url, { width: 360, height: 740 })
    await page.goto(`${server.url}/demo`)
    const log = page.getByRole('log')
    const name = page.getByPlaceholder('Type your name...')
    await name.waitFor()
    await eventually(() => isFocused(name)).toBe(true)
    await page.keyboard.type('Ada')
    await page.keyboard.press('Enter')
    await log.getByText('Nice to meet you, Ada! What would you like to do?').waitFor()
    // The first button has the focus: Enter picks it.
    const features = page.getByRole('button', { name: 'Show me what you can do' })
    await eventually(() => isFocused(features)).toBe(true)
    await page.keyboard.press('Enter')
    await log.getByText('How would you rate this demo, Ada?').waitFor()
    expect(await log.locator('[data-block-id="demo-rich-text"] strong').innerText()).toBe('bold')
    expect(await page.getByRole('progressbar').isVisible()).toBe(true)
    // The first star has the focus; four Tabs reach the fifth.
    await eventually(() => isFocused(page.getByRole('button', { name: '1', exact: true }))).toBe(true)
    for (let step = 0; step < 4; step += 1) await page.keyboard.press('Tab')
    expect(await isFocused(page.getByRole('button', { name: '5', exact: true }))).toBe(true)
    await page.keyboard.press('Enter')
    await log.getByText('Thanks! You gave 5 out of 5.').waitFor()
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
    await page.screenshot({ path: artifactPath('chat-demo-360px.png'), fullPage: true })
    expect(errors).toEqual([])
    await page.close()
  })
})

/** The fixture's typing emulation, only quicker: the indicator still shows, for a tenth of the time. */
function withQuickTyping(typebot: Record<string, unknown>) {
  const settings = typebot.settings as Record<string, unknown>
  return { ...typebot, settings: { ...settings, typingEmulation: { ...(settings.typingEmulation as object), maxDelay: 0.15 } } }
}

/** Rich text, a list, a variable echoed in a bubble, hostile URLs in a link and an embed, then an echoed answer. */
function richTextBot() {
  const p = (...children: Record<string, unknown>[]) => ({ type: 'p', children })
  const text = (id: string, ...richText: Record<string, unknown>[]) => ({ id, type: 'text', content: { richText } })
  return {
    version: '6.1',
    name: 'Rich text',
    events: [{ id: 'start', type: 'start', outgoingEdgeId: 'e1' }],
    variables: [
      { id: 'vpayload', name: 'Payload' },
      { id: 'vlink', name: 'Link' },
      { id: 'vembed', name: 'Embed URL' },
      { id: 'vanswer', name: 'Answer' },
    ],
    groups: [
      {
        id: 'g1',
        title: 'Show',
        blocks: [
          text(
            'rich',
            p(
              { text: 'Some ' },
              { text: 'bold', bold: true },
              { text: ', ' },
              { text: 'italic', italic: true },
              { text: ', ' },
              { text: 'underlined', underline: true },
              { text: ' text and ' },
              { type: 'a', url: 'https://example.com', children: [{ text: 'a link' }] },
            ),
          ),
          text('list', {
            type: 'ul',
            children: ['first point', 'second point'].map((item) => ({
              type: 'li',
              children: [{ type: 'lic', children: [{ text: item }] }],
            })),
          }),
          text('echo', p({ text: 'Echo: {{Payload}}' })),
          text('hostile-link', p({ type: 'a', url: '{{Link}}', children: [{ text: 'click me' }] })),
          { id: 'embed', type: 'embed', content: { url: '{{Embed URL}}', height: 200 } },
          { id: 'ask', type: 'text input', options: { variableId: 'vanswer' }, outgoingEdgeId: 'e2' },
        ],
      },
      { id: 'g2', title: 'Echo', blocks: [text('answer-echo', p({ text: 'You said: {{Answer}}' }))] },
    ],
    edges: [
      { id: 'e1', from: { eventId: 'start' }, to: { groupId: 'g1' } },
      { id: 'e2', from: { blockId: 'ask' }, to: { groupId: 'g2' } },
    ],
    theme: {},
    settings: { typingEmulation: { enabled: false } },
  }
}
