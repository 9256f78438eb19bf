import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importAndPublish } from '../helpers/chat-fixtures.js'
import { buildTypebot, type TestBlock, text } from '../helpers/flow-builder.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { createTestUser, type TestUser } from '../helpers/users.js'
import { type Browser, buildWebAssets, eventually, launchBrowser, openWatchedPage } from './browser.js'

let server: TestServer
let browser: Browser
let owner: TestUser
let site: Server
let siteOrigin: string
let typebotIds: string[]

/** Typebot's official embed as published on npm, served by the customer's site (never bundled into ours). */
const typebotEmbedPath = createRequire(import.meta.url).resolve('@typebot.io/js/web')

function uploadBot(input: TestBlock) {
  const document = buildTypebot({
    groups: [
      { id: 'g1', title: 'Ask', blocks: [text('t1', 'Send your files'), input], next: 'g2' },
      { id: 'g2', title: 'Thanks', blocks: [text('t2', 'Received {{Files}}')] },
    ],
    variables: [{ id: 'vFiles', name: 'Files' }],
  })
  return { ...document, settings: { typingEmulation: { enabled: false } } }
}

/** A text input taking attachments (and voice clips): the text, the files and the clip shown back. */
function textInputBot(options: Record<string, unknown>) {
  const document = buildTypebot({
    groups: [
      {
        id: 'g1',
        title: 'Ask',
        blocks: [text('t1', 'Tell me'), { id: 'ask1', type: 'text input', options: { variableId: 'vText', ...options } }],
        next: 'g2',
      },
      { id: 'g2', title: 'Thanks', blocks: [text('t2', 'Text {{Text}}'), text('t3', 'Files {{Attached}}'), text('t4', 'Clip {{Clip}}')] },
    ],
    variables: [
      { id: 'vText', name: 'Text' },
      { id: 'vAttached', name: 'Attached' },
      { id: 'vClip', name: 'Clip' },
    ],
  })
  return { ...document, settings: { typingEmulation: { enabled: false } } }
}

beforeAll(async () => {
  buildWebAssets()
  server = await startTestServer()
  owner = await createTestUser(server)
  typebotIds = await importAndPublish(owner, [
    { fixture: uploadBot({ id: 'file1', type: 'file input', options: { variableId: 'vFiles' } }), publicId: 'page-single' },
    {
      fixture: uploadBot({
        id: 'file1',
        type: 'file input',
        options: { variableId: 'vFiles', isMultipleAllowed: true, labels: { button: 'Send them' } },
      }),
      publicId: 'page-multiple',
    },
    {
      fixture: textInputBot({
        attachments: { isEnabled: true, saveVariableId: 'vAttached' },
        audioClip: { isEnabled: true, saveVariableId: 'vClip' },
      }),
      publicId: 'page-text-extras',
    },
  ])
  site = createServer((request, response) => {
    if (request.url === '/typebot-web.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' })
      response.end(readFileSync(typebotEmbedPath))
      return
    }
    const publicId = new URL(request.url ?? '/', 'http://site').searchParams.get('bot') ?? ''
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    response.end(`<!doctype html><html><head><title>Customer site</title></head><body>
<typebot-standard style="width: 100%; height: 700px"></typebot-standard>
<script type="module">
import Typebot from '/typebot-web.js'
Typebot.initStandard({ typebot: ${JSON.stringify(publicId)}, apiHost: ${JSON.stringify(server.url)} })
</script></body></html>`)
  })
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve))
  siteOrigin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`
  browser = await launchBrowser()
}, 60_000)
afterAll(async () => {
  await browser?.close()
  await new Promise((resolve) => site?.close(resolve))
  await server?.close()
})

async function answersOf(typebotId: string) {
  const listed = await owner.call('GET', `/v1/typebots/${typebotId}/results`)
  return listed.body.results.flatMap((result: any) => result.answers.map((answer: any) => answer.content))
}

describe('file inputs in the browser', () => {
  it('our page uploads one file as soon as it is picked and answers with its URL', { timeout: 60_000 }, async () => {
    const { page, errors } = await openWatchedPage(browser.context, server.url)
    await page.goto(`${server.url}/page-single`)
    await page.locator('input[type=file]').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('my notes') })
    const log = page.getByRole('log')
    await eventually(() => log.locator('.bf-bubble-guest').last().innerText()).toBe('File uploaded')
    await eventually(() => log.locator('.bf-bubble-host').last().innerText()).toMatch(
      /^Received http:\/\/127\.0\.0\.1:\d+\/api\/v1\/files\/c[a-z0-9]{24}\/notes\.txt$/,
    )
    const url = (await log.locator('.bf-bubble-host').last().innerText()).replace('Received ', '')
    expect(await (await fetch(url)).text()).toBe('my notes')
    expect(errors).toEqual([])
  })

  it('our page collects several files, shows the upload progress and sends them together', { timeout: 60_000 }, async () => {
    const { page, errors } = await openWatchedPage(browser.context, server.url)
    await page.goto(`${server.url}/page-multiple`)
    const picker = page.locator('input[type=file]')
    await picker.setInputFiles([
      { name: 'a.txt', mimeType: 'text/plain', buffer: Buffer.from('first') },
      { name: 'b.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(3 * 1024 * 1024, 7) },
    ])
    expect(await page.locator('.bf-file-item').allInnerTexts()).toEqual(['a.txt', 'b.bin'])
    // Records what the progress bar shows while the files upload.
    await page.evaluate(() => {
      const seen: string[] = []
      Object.assign(window, { progressSeen: seen })
      new MutationObserver(() => {
        const bar = document.querySelector('.bf-file-progress')
        if (bar && !(bar as HTMLElement).hidden) seen.push(bar.getAttribute('aria-valuenow') ?? '')
      }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['aria-valuenow', 'hidden'] })
    })
    await page.getByRole('button', { name: 'Send them' }).click()
    const log = page.getByRole('log')
    await eventually(() => log.locator('.bf-bubble-guest').last().innerText()).toBe('2 files uploaded')
    expect(await page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen)).toContain('100')
    const answers = await answersOf(typebotIds[1] ?? '')
    expect(answers).toHaveLength(1)
    const urls = String(answers[0]).split(', ')
    expect(urls).toHaveLength(2)
    expect((await (await fetch(urls[1] ?? '')).arrayBuffer()).byteLength).toBe(3 * 1024 * 1024)
    expect(errors).toEqual([])
  })

  it("Typebot's own embed (@typebot.io/js from npm) uploads to botflow", { timeout: 60_000 }, async () => {
    const { page } = await openWatchedPage(browser.context, siteOrigin)
    await page.goto(`${siteOrigin}/?bot=page-single`)
    const picker = page.locator('typebot-standard input[type=file]')
    await picker.waitFor({ state: 'attached', timeout: 15_000 })
    await picker.setInputFiles({ name: 'from embed.txt', mimeType: 'text/plain', buffer: Buffer.from('embedded upload') })
    await eventually(() =>
      page
        .locator('typebot-standard')
        .getByText(/^Received http/)
        .count(),
    ).toBe(1)
    const answers = await answersOf(typebotIds[0] ?? '')
    const url = answers.find((answer: string) => answer.endsWith('/from-embed.txt'))
    expect(url).toBeDefined()
    expect(await (await fetch(url)).text()).toBe('embedded upload')
  })
})

describe('text input attachments and voice clips in the browser', () => {
  it('our text input attaches files: they upload when the answer is sent and go with it', { timeout: 60_000 }, async () => {
    const { page, errors, apiCalls } = await openWatchedPage(browser.context, server.url)
    await page.goto(`${server.url}/page-text-extras`)
    const log = page.getByRole('log')
    await eventually(() => log.locator('.bf-bubble-host').allInnerTexts()).toEqual(['Tell me'])
    // The field is empty: the record button stands where the send button will be.
    await expect.poll(() => page.getByRole('button', { name: 'Record voice' }).isVisible()).toBe(true)
    await page
      .getByLabel('Attach files')
      .locator('input[type=file]')
      .setInputFiles([
        { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('my notes') },
        { name: 'photo.png', mimeType: 'image/png', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47]) },
      ])
    await eventually(() => page.locator('.bf-file-item').allInnerTexts()).toEqual(['notes.txt×', 'photo.png×'])
    await page.getByRole('button', { name: 'Remove photo.png' }).click()
    await page.getByRole('textbox').fill('Here you go')
    expect(await page.getByRole('button', { name: 'Record voice' }).isVisible()).toBe(false)
    await page.getByRole('textbox').press('Enter')

    await eventually(() => log.locator('.bf-bubble-guest').last().innerText()).toBe('Here you go\n📎 notes.txt')
    await eventually(() => log.locator('.bf-bubble-host').count()).toBe(4)
    const [, shownText, shownFiles] = await log.locator('.bf-bubble-host').allInnerTexts()
    expect(shownText).toBe('Text Here you go')
    const url = (shownFiles ?? '').replace('Files ', '')
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1\/files\/c[a-z0-9]{24}\/notes\.txt$/)
    expect(await (await fetch(url)).text()).toBe('my notes')
    expect(apiCalls.filter((call) => call === 'POST /api/v3/generate-upload-url')).toHaveLength(1)
    expect(errors).toEqual([])
  })

  it('our text input records a voice clip with the microphone and answers with its URL', { timeout: 60_000 }, async () => {
    const { page, errors } = await openWatchedPage(browser.context, server.url)
    await page.goto(`${server.url}/page-text-extras`)
    await page.getByRole('button', { name: 'Record voice' }).click()
    await page.getByRole('button', { name: 'Stop recording' }).click()
    const log = page.getByRole('log')
    await eventually(() => log.locator('.bf-bubble-guest audio').count()).toBe(1)
    await eventually(() => log.locator('.bf-bubble-host').count()).toBe(4)
    const shownClip = (await log.locator('.bf-bubble-host').allInnerTexts())[3] ?? ''
    expect(shownClip).toMatch(/^Clip http:\/\/127\.0\.0\.1:\d+\/api\/v1\/files\/c[a-z0-9]{24}\/rec-ask1-\d+\.webm$/)
    const clip = await fetch(shownClip.replace('Clip ', ''))
    expect(clip.headers.get('content-type')).toBe('audio/webm')
    // A WebM file starts with the EBML magic number.
    expect([...new Uint8Array(await clip.arrayBuffer()).slice(0, 4)]).toEqual([0x1a, 0x45, 0xdf, 0xa3])
    expect(errors).toEqual([])
  })

  it("Typebot's own embed sends a text with attachments to botflow", { timeout: 60_000 }, async () => {
    const { page } = await openWatchedPage(browser.context, siteOrigin)
    await page.goto(`${siteOrigin}/?bot=page-text-extras`)
    const bot = page.locator('typebot-standard')
    const picker = bot.locator('input[type=file]').first()
    await picker.waitFor({ state: 'attached', timeout: 15_000 })
    await picker.setInputFiles({ name: 'from-embed.txt', mimeType: 'text/plain', buffer: Buffer.from('embedded attachment') })
    await bot.getByPlaceholder('Type your answer...').fill('With a file')
    await bot.getByPlaceholder('Type your answer...').press('Enter')
    await eventually(() => bot.getByText(/^Files http/).count()).toBe(1)
    const url = (await bot.getByText(/^Files http/).innerText()).replace('Files ', '').trim()
    expect(url).toMatch(/\/api\/v1\/files\/c[a-z0-9]{24}\/from-embed\.txt$/)
    expect(await (await fetch(url)).text()).toBe('embedded attachment')
    expect(await bot.getByText('Text With a file').count()).toBe(1)
  })
})
