import { afterAll, beforeAll, expect, it } from 'vitest'
import { importAndPublish, readFixture } from '../helpers/chat-fixtures.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { createTestUser } from '../helpers/users.js'
import { type Browser, buildWebAssets, describeInBrowser, eventually, launchBrowser, openWatchedPage } from './browser.js'

let server: TestServer
let browser: Browser

beforeAll(async () => {
  buildWebAssets()
  server = await startTestServer()
  const owner = await createTestUser(server)
  await importAndPublish(owner, [
    { fixture: inputsBot(server.url), publicId: 'inputs-bot' },
    { fixture: withoutTyping(readFixture('cards.json')), publicId: 'cards-bot' },
    { fixture: withoutTyping(readFixture('dynamicAvatars.json')), publicId: 'avatars-bot' },
  ])
  browser = await launchBrowser()
}, 60_000)
afterAll(async () => {
  await browser?.close()
  await server?.close()
})

describeInBrowser('inputs and client-side actions in the browser', () => {
  it('answers choices, pictures, a date, a time, a skipped file; runs the script, setVariable, HTTP request, wait and redirect', {
    timeout: 60_000,
  }, async () => {
    const { page, errors } = await openWatchedPage(browser.context, server.url)
    await page.goto(`${server.url}/inputs-bot`)
    const log = page.getByRole('log')
    const lastHostText = () => log.locator('.bf-bubble-host').last().innerText()

    // Multiple choice with a filter: the filter hides what does not match, the picks are sent together.
    const filter = page.getByPlaceholder('Filter the options...')
    await filter.fill('re')
    expect(await page.locator('.bf-choice:visible').allInnerTexts()).toEqual(['Red', 'Green'])
    await page.getByRole('button', { name: 'Green' }).click()
    await filter.fill('')
    await page.getByRole('button', { name: 'Blue' }).click()
    await page.getByRole('button', { name: 'Pick' }).click()
    await eventually(lastHostText).toBe('Colors: Green, Blue')

    const dog = page.getByRole('button', { name: /Dog/ })
    expect(await dog.locator('img').getAttribute('src')).toBe('https://img.example.com/dog.png')
    await dog.click()
    await eventually(lastHostText).toBe('Pet: Dog')

    await page.getByLabel('Date').fill('2024-01-05')
    await page.getByRole('button', { name: 'Send' }).click()
    await eventually(lastHostText).toBe('Day: 05/01/2024')
    // The server's formatting replaced what the picker sent.
    expect(await log.locator('.bf-bubble-guest').last().innerText()).toBe('05/01/2024')

    await page.getByLabel('Time').fill('14:30')
    await page.getByRole('button', { name: 'Send' }).click()
    await eventually(lastHostText).toBe('Hour: 14:30')

    await page.getByRole('button', { name: 'Skip it' }).click()
    await eventually(() => page.title()).toBe('Pet is Dog')
    await eventually(lastHostText).toBe('Waited')
    expect(await log.locator('.bf-bubble-host').allInnerTexts()).toEqual(expect.arrayContaining(['Path: /inputs-bot', 'Health: ok']))
    await page.waitForURL(`${server.url}/landing-page`)
    expect(errors.filter((error) => !error.includes('404'))).toEqual([])
    await page.close()
  })

  it('picks a card by its button, then a dynamic card (cards.json)', async () => {
    const { page, errors } = await openWatchedPage(browser.context, server.url)
    await page.goto(`${server.url}/cards-bot`)
    const paris = page.locator('.bf-card').filter({ hasText: 'Paris' })
    await paris.getByRole('button', { name: 'More info' }).click()
    await page.getByRole('log').getByText('Awesome pick!').waitFor()
    await eventually(() => page.locator('.bf-card-title').allInnerTexts()).toEqual(['Title 1', 'Title 2'])
    expect(await page.locator('.bf-card-description').allInnerTexts()).toEqual(['Desc 1', 'Desc 2'])
    await page.locator('.bf-card').nth(1).getByRole('button', { name: 'Continue' }).click()
    await page.getByRole('log').getByText("You've selected Title 2").waitFor()
    expect(errors).toEqual([])
    await page.close()
  })

  it('changes the avatars when the dynamic theme does (dynamicAvatars.json)', async () => {
    const { page, errors } = await openWatchedPage(browser.context, server.url)
    await page.goto(`${server.url}/avatars-bot`)
    const log = page.getByRole('log')
    await log.getByText('First avatar').waitFor()
    expect(await log.locator('.bf-avatar-host img').last().getAttribute('src')).toMatch(/^https:\/\/images\.unsplash\.com\//)
    await page.getByRole('button', { name: 'Next' }).click()
    await log.getByText('Second avatar').waitFor()
    // An emoji avatar is shown as text, on both sides.
    expect(await log.locator('.bf-avatar-host').last().innerText()).toBe('😅')
    expect(await log.locator('.bf-avatar-guest').last().innerText()).not.toBe('😅')
    await page.getByRole('button', { name: 'Next' }).click()
    await log.getByText('Third avatar').waitFor()
    expect(await log.locator('.bf-avatar-guest').last().innerText()).toBe('😅')
    expect(await log.locator('.bf-avatar-host img').last().getAttribute('src')).toMatch(/giphy\.com/)
    expect(errors).toEqual([])
    await page.close()
  })
})

function withoutTyping(typebot: Record<string, unknown>) {
  const settings = (typebot.settings ?? {}) as Record<string, unknown>
  return { ...typebot, settings: { ...settings, typingEmulation: { enabled: false } } }
}

/** One input or client-side action per step, each answer echoed by a text bubble. */
function inputsBot(serverUrl: string) {
  const text = (id: string, value: string) => ({ id, type: 'text', content: { richText: [{ type: 'p', children: [{ text: value }] }] } })
  const variable = (name: string) => ({ id: `v${name}`, name })
  return {
    version: '6.1',
    name: 'Inputs',
    events: [{ id: 'start', type: 'start', outgoingEdgeId: 'e1' }],
    variables: ['Colors', 'Pet', 'Day', 'Hour', 'Path', 'Health'].map(variable),
    groups: [
      {
        id: 'g1',
        title: 'Everything',
        blocks: [
          {
            id: 'colors',
            type: 'choice input',
            items: [
              { id: 'red', content: 'Red' },
              { id: 'green', content: 'Green' },
              { id: 'blue', content: 'Blue' },
            ],
            options: { variableId: 'vColors', isMultipleChoice: true, isSearchable: true, buttonLabel: 'Pick' },
          },
          text('colors-echo', 'Colors: {{Colors}}'),
          {
            id: 'pet',
            type: 'picture choice input',
            items: [
              { id: 'cat', title: 'Cat', pictureSrc: 'https://img.example.com/cat.png', description: 'Meows' },
              { id: 'dog', title: 'Dog', pictureSrc: 'https://img.example.com/dog.png', description: 'Barks' },
            ],
            options: { variableId: 'vPet' },
          },
          text('pet-echo', 'Pet: {{Pet}}'),
          { id: 'day', type: 'date input', options: { variableId: 'vDay' } },
          text('day-echo', 'Day: {{Day}}'),
          { id: 'hour', type: 'time input', options: { variableId: 'vHour' } },
          text('hour-echo', 'Hour: {{Hour}}'),
          { id: 'file', type: 'file input', options: { isRequired: false, labels: { skip: 'Skip it' } } },
          { id: 'script', type: 'Code', options: { content: "document.title = 'Pet is ' + {{Pet}}" } },
          {
            id: 'path',
            type: 'Set variable',
            options: { variableId: 'vPath', isExecutedOnClient: true, isCode: true, expressionToEvaluate: 'location.pathname' },
          },
          text('path-echo', 'Path: {{Path}}'),
          {
            id: 'health',
            type: 'Webhook',
            options: {
              isExecutedOnClient: true,
              webhook: { url: `${serverUrl}/api/healthz`, method: 'GET' },
              responseVariableMapping: [{ id: 'm1', variableId: 'vHealth', bodyPath: 'data.status' }],
            },
          },
          text('health-echo', 'Health: {{Health}}'),
          { id: 'pause', type: 'Wait', options: { secondsToWaitFor: '0.2', shouldPause: true } },
          text('waited', 'Waited'),
          { id: 'wait-before-leaving', type: 'Wait', options: { secondsToWaitFor: '1' } },
          { id: 'leave', type: 'Redirect', options: { url: `${serverUrl}/landing-page` } },
        ],
      },
    ],
    edges: [{ id: 'e1', from: { eventId: 'start' }, to: { groupId: 'g1' } }],
    theme: {},
    settings: { typingEmulation: { enabled: false } },
  }
}
