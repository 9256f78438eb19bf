/**
 * Start options and typebot settings through the public Chat API (§3.1, §3.2, §9.5):
 * isOnlyRegistering, text format per request, remember user, closed bots, progress, prefilled
 * embed URLs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiClient } from '../helpers/api-client.js'
import {
  answerContents,
  type ChatClient,
  createChatClient,
  findResultOfSession,
  getResult,
  paragraph,
  startConversation,
  startPreview,
  textsOf,
} from '../helpers/chat-conversation.js'
import { importAndPublish } from '../helpers/chat-fixtures.js'
import { buildTypebot, text, textInput } from '../helpers/flow-builder.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { createTestUser, type TestUser } from '../helpers/users.js'

let server: TestServer
let clock = Date.now()
let owner: TestUser
let chat: ChatClient
const ids: Record<string, string> = {}

/** Greets with a bold word and the remembered name, asks the name, then says bye. */
function greetingBot(settings: Record<string, unknown> = {}, theme: Record<string, unknown> = {}) {
  const document = buildTypebot({
    variables: [
      { id: 'v-name', name: 'Name' },
      { id: 'v-embed', name: 'Embed URL' },
    ],
    groups: [
      { id: 'g-hello', title: 'Hello', blocks: [boldHello('t-hello'), textInput('i-name', 'v-name')], next: 'g-bye' },
      { id: 'g-bye', title: 'Bye', blocks: [text('t-bye', 'Bye {{Name}}')] },
    ],
  })
  return { ...document, settings, theme }
}

const boldHello = (id: string) => ({
  id,
  type: 'text',
  content: { richText: [{ type: 'p', children: [{ text: 'Hello', bold: true }, { text: ' {{Name}}' }] }] },
})

beforeAll(async () => {
  server = await startTestServer({ SESSION_TTL_HOURS: '1' }, { now: () => clock })
  owner = await createTestUser(server)
  chat = createChatClient(createApiClient(server.url))
  const embedBot = buildTypebot({
    variables: [{ id: 'v-embed', name: 'Embed URL' }],
    groups: [
      {
        id: 'g1',
        title: 'Embed',
        blocks: [{ id: 'embed1', type: 'embed', content: { url: '{{Embed URL}}', height: 400 } }, textInput('i1', 'v-embed')],
      },
    ],
  })
  const bots: [string, Record<string, unknown>][] = [
    ['options-greeting', greetingBot()],
    ['options-remember', greetingBot({ general: { rememberUser: { isEnabled: true } } })],
    ['options-closed', greetingBot({ general: { systemMessages: { botClosed: 'We are on holiday' } } })],
    ['options-closed-default', greetingBot()],
    ['options-progress', greetingBot({}, { general: { progressBar: { isEnabled: true } } })],
    ['options-embed', embedBot],
  ]
  const imported = await importAndPublish(owner, [
    ...bots.map(([publicId, fixture]) => ({ fixture, publicId })),
    { fixture: 'chat/startingWithInput.json', publicId: 'options-starting-with-input' },
    { fixture: 'rememberUser.json', publicId: 'options-remember-user-fixture' },
    { fixture: 'commandEvent.json', publicId: 'options-command' },
    { fixture: 'chat/main.json', publicId: 'options-main', publish: false },
  ])
  const publicIds = [
    ...bots.map(([publicId]) => publicId),
    'options-starting-with-input',
    'options-remember-user-fixture',
    'options-command',
    'options-main',
  ]
  publicIds.forEach((publicId, index) => (ids[publicId] = imported[index] as string))
})
afterAll(async () => server.close())

describe('isOnlyRegistering (§2.4 step 6)', () => {
  it('creates a session without running the flow; the first continueChat starts it', async () => {
    const start = await chat.start('options-greeting', { isOnlyRegistering: true, message: 'ignored' })
    expect(start.status).toBe(200)
    expect(start.body.messages).toEqual([])
    expect(Object.keys(start.body).sort()).toEqual(['messages', 'sessionId', 'typebot'])
    expect(start.body.typebot).not.toHaveProperty('publishedAt')
    expect(await findResultOfSession(owner, ids['options-greeting']!, start.body.sessionId)).toBeUndefined()

    const first = await chat.reply(start.body.sessionId)
    expect(textsOf(first)).toEqual(['Hello '])
    expect(first.body.input.id).toBe('i-name')
    expect(textsOf(await chat.reply(start.body.sessionId, 'Ada'))).toEqual(['Bye Ada'])
  })

  it('consumes the first message when the flow starts with an input', async () => {
    const start = await chat.start('options-starting-with-input', { isOnlyRegistering: true })
    const hey = await chat.reply(start.body.sessionId, 'Hey')
    expect(textsOf(hey)).toEqual(["That's nice!"])
    const result = await findResultOfSession(owner, ids['options-starting-with-input']!, start.body.sessionId)
    expect(answerContents(result)).toEqual(['Hey'])
  })
})

describe('textBubbleContentFormat (§3.3)', () => {
  it('applies to the request that asks for it and is not remembered', async () => {
    const { start, reply } = await startConversation(chat, 'options-greeting', { textBubbleContentFormat: 'markdown' })
    expect(start.body.messages[0].content).toEqual({ type: 'markdown', markdown: '**Hello** ' })
    const richText = await reply('Ada')
    expect(richText.body.messages[0].content).toEqual({ type: 'richText', richText: paragraph('Bye ', 'Ada') })
  })

  it('turns a continue answer into markdown when asked', async () => {
    const { start, reply } = await startConversation(chat, 'options-greeting')
    expect(start.body.messages[0].content).toEqual({
      type: 'richText',
      richText: [{ type: 'p', children: [{ text: 'Hello', bold: true }, { text: ' ' }] }],
    })
    expect((await reply('**Ada**', { textBubbleContentFormat: 'markdown' })).body.messages[0].content).toEqual({
      type: 'markdown',
      markdown: 'Bye **Ada**',
    })
  })
})

describe('remember user (§9.5)', () => {
  it('reuses the result, its answers and its variables when enabled', async () => {
    const first = await startConversation(chat, 'options-remember')
    await first.reply('Ada')
    const again = await chat.start('options-remember', { resultId: first.start.body.resultId })
    expect(again.body.resultId).toBe(first.start.body.resultId)
    expect(again.body.messages[0].content.richText).toEqual([
      { type: 'p', children: [{ text: 'Hello', bold: true }, { text: ' ' }, { text: 'Ada' }] },
    ])
    await chat.reply(again.body.sessionId, 'Grace')
    expect(answerContents(await getResult(owner, ids['options-remember']!, first.start.body.resultId))).toEqual(['Ada', 'Grace'])
  })

  it('starts a new result when disabled, or when the result belongs to another typebot', async () => {
    const first = await startConversation(chat, 'options-greeting')
    await first.reply('Ada')
    const again = await chat.start('options-greeting', { resultId: first.start.body.resultId })
    expect(again.body.resultId).toEqual(expect.any(String))
    expect(again.body.resultId).not.toBe(first.start.body.resultId)
    expect(textsOf(again)).toEqual(['Hello '])

    const foreign = await chat.start('options-remember', { resultId: first.start.body.resultId })
    expect(foreign.body.resultId).not.toBe(first.start.body.resultId)
    expect(textsOf(foreign)).toEqual(['Hello '])
    expect(answerContents(await getResult(owner, ids['options-greeting']!, first.start.body.resultId))).toEqual(['Ada'])
  })

  it('keeps the same result for rememberUser.json', async () => {
    const first = await startConversation(chat, 'options-remember-user-fixture')
    await first.reply('Hi!')
    expect(textsOf(await first.reply('Baptiste'))).toEqual([
      'Great! Nice to meet you Baptiste',
      "What's the best email we can reach you at?",
    ])
    const reload = await chat.start('options-remember-user-fixture', { resultId: first.start.body.resultId })
    expect(reload.body.resultId).toBe(first.start.body.resultId)
    const other = await chat.start('options-starting-with-input', { resultId: first.start.body.resultId })
    expect(other.body.resultId).not.toBe(first.start.body.resultId)
  })
})

describe('closed bots (§9.5)', () => {
  it('refuses to start with the custom or the default message, but previews', async () => {
    for (const publicId of ['options-closed', 'options-closed-default']) {
      const closed = await owner.call('PATCH', `/v1/typebots/${ids[publicId]}`, { body: { typebot: { isClosed: true } } })
      expect(closed.status, JSON.stringify(closed.body)).toBe(200)
    }
    const custom = await chat.start('options-closed')
    expect(custom.status).toBe(400)
    expect(custom.body).toMatchObject({ message: 'We are on holiday', code: 'BAD_REQUEST' })
    const fallback = await chat.start('options-closed-default')
    expect(fallback.status).toBe(400)
    expect(fallback.body).toMatchObject({ message: 'This bot is now closed', code: 'BAD_REQUEST' })
    const preview = await startPreview(owner, ids['options-closed']!)
    expect(textsOf(preview.start)).toEqual(['Hello '])
  })
})

describe('progress (§4.13)', () => {
  it('is absent unless tracked; the theme flag tracks live sessions up to 100', async () => {
    const untracked = await chat.start('options-greeting')
    expect(untracked.body).not.toHaveProperty('progress')
    const { start, reply } = await startConversation(chat, 'options-progress')
    expect(start.body.progress).toBe(50)
    const end = await reply('Ada')
    expect(end.body.progress).toBe(100)
  })

  it('follows isProgressBarEnabled in preview without changing the theme', async () => {
    const preview = await startPreview(owner, ids['options-greeting']!, { isProgressBarEnabled: true })
    expect(preview.start.body.progress).toEqual(expect.any(Number))
    expect(preview.start.body.typebot.theme?.general?.progressBar?.isEnabled).not.toBe(true)
    expect((await preview.reply('Ada')).body.progress).toBe(100)
    const off = await startPreview(owner, ids['options-progress']!, { isProgressBarEnabled: false })
    expect(off.start.body).not.toHaveProperty('progress')
  })
})

describe('preview start options (§3.2)', () => {
  it('starts from a group or an event, and refuses unknown ones', async () => {
    const preview = createChatClient(owner.call)
    const typebotId = ids['options-command']!
    const fromGroup = await preview.preview(typebotId, { startFrom: { type: 'group', groupId: 'pkd8hrkvfxsor6h5y6q7qd0v' } })
    expect(textsOf(fromGroup)).toEqual(['Hey there!'])
    const fromEvent = await preview.preview(typebotId, { startFrom: { type: 'event', eventId: 'b9am2580tsnshe7fxll5fy8t' } })
    expect(textsOf(fromEvent)).toEqual(['Leaving!'])
    const unknownGroup = await preview.preview(typebotId, { startFrom: { type: 'group', groupId: 'nope' } })
    expect(unknownGroup.status).toBe(400)
    expect(unknownGroup.body).toMatchObject({ message: "Start group doesn't exist", code: 'BAD_REQUEST' })
    const unknownEvent = await preview.preview(typebotId, { startFrom: { type: 'event', eventId: 'nope' } })
    expect(unknownEvent.status).toBe(400)
    expect(unknownEvent.body).toMatchObject({ message: "Start event doesn't exist", code: 'BAD_REQUEST' })
  })

  it('runs the draft of a typebot never published, and reuses a given sessionId', async () => {
    const preview = createChatClient(owner.call)
    const sessionId = 'options-preview-session'
    const first = await preview.preview(ids['options-main']!, { sessionId })
    expect(first.body.sessionId).toBe(sessionId)
    expect(textsOf(first)).toEqual(['Hi there! 👋', "Welcome. What's your name?"])
    expect(textsOf(await chat.reply(sessionId, 'John'))[0]).toBe('Nice to meet you John')
    // The same id again starts over: the session is overwritten.
    const again = await preview.preview(ids['options-main']!, { sessionId })
    expect(again.body.sessionId).toBe(sessionId)
    expect((await chat.reply(sessionId, 'Jane')).body.input.type).toBe('number input')
    // Only registering ignores the id.
    const registering = await preview.preview(ids['options-main']!, { sessionId, isOnlyRegistering: true })
    expect(registering.body.sessionId).not.toBe(sessionId)
    expect((await chat.start('options-main')).status).toBe(404)
  })

  it('hides the draft from a user without access (404)', async () => {
    const stranger = await createTestUser(server)
    const refused = await createChatClient(stranger.call).preview(ids['options-greeting']!)
    expect(refused.status).toBe(404)
    expect(refused.body).toEqual({ message: 'Typebot not found', code: 'NOT_FOUND' })
  })

  it('refuses to reuse the id of a live session', async () => {
    const live = await startConversation(chat, 'options-greeting')
    const preview = createChatClient(owner.call)
    const hijack = await preview.preview(ids['options-greeting']!, { sessionId: live.sessionId })
    expect(hijack.status).toBe(409)
    expect(textsOf(await live.reply('Ada'))).toEqual(['Bye Ada'])
  })
})

describe('embed bubbles (§9.5)', () => {
  it('returns a javascript: URL from a prefilled variable unchanged', async () => {
    const start = await chat.start('options-embed', { prefilledVariables: { 'Embed URL': 'javascript:alert(document.cookie)' } })
    expect(start.body.messages).toEqual([
      { id: 'embed1', type: 'embed', content: { url: 'javascript:alert(document.cookie)', height: 400 } },
    ])
  })
})

describe('session expiry (SESSION_TTL_HOURS, §2.6)', () => {
  it('answers 404 "Session expired" to a session idle for longer than the TTL', async () => {
    const idle = await startConversation(chat, 'options-greeting')
    const active = await startConversation(chat, 'options-greeting')
    const realNow = clock
    try {
      clock = realNow + 30 * 60 * 1000
      expect(textsOf(await active.reply('Ada'))).toEqual(['Bye Ada'])
      clock = realNow + 2 * 60 * 60 * 1000
      const expired = await idle.reply('Ada')
      expect(expired.status).toBe(404)
      expect(expired.body).toEqual({ message: 'Session expired. You need to start a new session.', code: 'NOT_FOUND' })
      expect((await chat.start('options-greeting')).status).toBe(200)
    } finally {
      clock = realNow
    }
  })
})
