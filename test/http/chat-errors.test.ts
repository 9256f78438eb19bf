/**
 * Client logs and the errors of the public Chat API (§3.0.3, §3.3, §3.5): every bad request is
 * a 4xx with the error envelope, never a 5xx (the chat client wrapper asserts it on every call).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiClient } from '../helpers/api-client.js'
import { type ChatClient, createChatClient, startConversation, startPreview, textsOf } from '../helpers/chat-conversation.js'
import { importAndPublish } from '../helpers/chat-fixtures.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { createTestUser, type TestUser } from '../helpers/users.js'

let server: TestServer
let owner: TestUser
let chat: ChatClient
let mainId: string

beforeAll(async () => {
  server = await startTestServer()
  owner = await createTestUser(server)
  chat = createChatClient(createApiClient(server.url))
  ;[mainId] = (await importAndPublish(owner, [
    { fixture: 'chat/startingWithInput.json', publicId: 'errors-bot' },
    { fixture: 'replyEvent.json', publicId: 'errors-reply-event' },
    { fixture: 'hugeGroup.json', publicId: 'errors-unpublished', publish: false },
  ])) as [string]
})
afterAll(async () => server.close())

const logsOf = async (resultId: string) => (await owner.call('GET', `/v1/typebots/${mainId}/results/${resultId}/logs`)).body.logs

describe('client logs (§3.5)', () => {
  it('stores v2 logs with the result, status defaulting to error and long details cut', async () => {
    const { start, sessionId } = await startConversation(chat, 'errors-bot')
    const saved = await chat.clientLogs(sessionId, [
      { status: 'info', description: 'Widget opened', details: 'first', context: 'bubble' },
      { description: 'Script failed', details: 'x'.repeat(1500) },
    ])
    expect(saved.status).toBe(200)
    expect(saved.body).toEqual({ message: 'Logs successfully saved.' })
    const logs = await logsOf(start.body.resultId)
    expect(logs.map(({ status, description, details, context }: any) => ({ status, description, details, context }))).toEqual([
      { status: 'info', description: 'Widget opened', details: 'first', context: 'bubble' },
      { status: 'error', description: 'Script failed', details: `${'x'.repeat(1000)}...`, context: null },
    ])
  })

  it('accepts object details on the legacy v1 path, stored as JSON text', async () => {
    const { start, sessionId } = await startConversation(chat, 'errors-bot')
    const saved = await chat.clientLogs(
      sessionId,
      [
        { description: 'Legacy', details: { line: 3, reason: 'oops' } },
        { description: 'Plain', details: 'text' },
      ],
      'v1',
    )
    expect(saved.status, JSON.stringify(saved.body)).toBe(200)
    expect(saved.body).toEqual({ message: 'Logs successfully saved.' })
    const logs = await logsOf(start.body.resultId)
    expect(logs.map((log: any) => [log.description, log.details])).toEqual([
      ['Legacy', '{"line":3,"reason":"oops"}'],
      ['Plain', 'text'],
    ])
  })

  it('refuses object details on v2, a preview session (no result) and an unknown session', async () => {
    const { sessionId } = await startConversation(chat, 'errors-bot')
    const objectDetails = await chat.clientLogs(sessionId, [{ description: 'x', details: { a: 1 } }])
    expect(objectDetails.status).toBe(400)
    const preview = await startPreview(owner, mainId)
    const previewLogs = await chat.clientLogs(preview.sessionId, [{ description: 'x' }])
    expect(previewLogs.status).toBe(404)
    expect(previewLogs.body).toEqual({ message: 'Result not found.', code: 'NOT_FOUND' })
    const unknown = await chat.clientLogs('no-such-session', [{ description: 'x' }])
    expect(unknown.status).toBe(404)
    expect(unknown.body).toEqual({ message: 'Session not found.', code: 'NOT_FOUND' })
  })
})

describe('request validation (§3.0.3)', () => {
  it('answers 400 for a malformed JSON body', async () => {
    const { sessionId } = await startConversation(chat, 'errors-bot')
    for (const path of [
      '/api/v1/typebots/errors-bot/startChat',
      `/api/v1/sessions/${sessionId}/continueChat`,
      `/api/v2/sessions/${sessionId}/clientLogs`,
    ]) {
      const malformed = await fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"message": "Hey"',
      })
      expect(malformed.status, path).toBe(400)
      expect(await malformed.json()).toMatchObject({ code: 'BAD_REQUEST' })
    }
    // The session was not touched.
    expect(textsOf(await chat.reply(sessionId, 'Hey'))).toEqual(["That's nice!"])
  })

  it('validates the message before looking the session up', async () => {
    const { sessionId } = await startConversation(chat, 'errors-bot')
    for (const id of [sessionId, 'no-such-session']) {
      const bogus = await chat.reply(id, { type: 'bogus' })
      expect(bogus.status).toBe(400)
      expect(bogus.body).toMatchObject({ message: 'Input validation failed', code: 'BAD_REQUEST' })
      expect(bogus.body.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path: expect.arrayContaining(['message']) })]))
    }
    const badFormat = await chat.reply('no-such-session', 'Hey', { textBubbleContentFormat: 'html' })
    expect(badFormat.status).toBe(400)
    expect(badFormat.body.issues[0].path).toEqual(['textBubbleContentFormat'])
  })

  it.each([
    ['a number message', { message: 42 }],
    ['a text message without text', { message: { type: 'text' } }],
    ['a JSON array body', []],
    ['a JSON string body', '"Hey"'],
  ])('answers 400 for %s', async (_name, body) => {
    const { sessionId } = await startConversation(chat, 'errors-bot')
    const result = await chat.replyRaw(sessionId, body)
    expect(result.status, JSON.stringify(result.body)).toBe(400)
    expect(result.body.code).toBe('BAD_REQUEST')
  })

  it('takes an empty body, no body or a null message as "no message"', async () => {
    const { sessionId } = await startConversation(chat, 'errors-bot')
    const empty = await fetch(`${server.url}/api/v1/sessions/${sessionId}/continueChat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '',
    })
    expect(empty.status).toBe(200)
    const none = await fetch(`${server.url}/api/v1/sessions/${sessionId}/continueChat`, { method: 'POST' })
    expect(none.status).toBe(200)
    const nullMessage = await chat.replyRaw(sessionId, { message: null })
    expect(nullMessage.status).toBe(200)
    expect(nullMessage.body.input.type).toBe('text input')
  })

  it('refuses a body that is not JSON without a 5xx', async () => {
    const response = await fetch(`${server.url}/api/v1/typebots/errors-bot/startChat`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'Hey',
    })
    expect(response.status).toBeGreaterThanOrEqual(400)
    expect(response.status).toBeLessThan(500)
  })
})

describe('not found (§3.1, §3.3)', () => {
  it('answers 404 for an unknown or unpublished public id, and an unknown session', async () => {
    expect((await chat.start('no-such-bot')).body).toEqual({ message: 'Typebot not found', code: 'NOT_FOUND' })
    expect((await chat.start('errors-unpublished')).body).toEqual({ message: 'Typebot not found', code: 'NOT_FOUND' })
    const unknown = await chat.reply('no-such-session', 'Hey')
    expect(unknown.status).toBe(404)
    expect(unknown.body).toEqual({ message: 'Session not found.', code: 'NOT_FOUND' })
  })

  it.each(['%00', 'a%00b', '%C3%A9t%C3%A9', 'semi%3Bcolon'])('answers 404, not 500, for the odd id %s', async (id) => {
    expect((await chat.start(id)).status).toBe(404)
    expect((await chat.reply(id, 'Hey')).status).toBe(404)
    expect((await chat.clientLogs(id, [{ description: 'x' }])).status).toBe(404)
  })

  it.each([
    ['a very long id', 'x'.repeat(2000)],
    ['a broken percent-encoding', '%E0%A4%A'],
  ])('answers %s with the error envelope and CORS headers', async (_name, id) => {
    const origin = 'https://customer-site.example'
    for (const result of [await chat.start(id, {}, { origin }), await chat.reply(id, 'Hey', {}, { origin })]) {
      expect(result.status).toBeGreaterThanOrEqual(400)
      expect(Object.keys(result.body).sort()).toEqual(['code', 'message'])
      expect(['BAD_REQUEST', 'NOT_FOUND']).toContain(result.body.code)
      expect(result.headers.get('access-control-allow-origin')).toBe(origin)
    }
  })

  it('takes a NUL character in a reply, a client log or a preview session id without a 500', async () => {
    const { sessionId } = await startConversation(chat, 'errors-bot')
    const logged = await chat.clientLogs(sessionId, [{ description: 'Boom\u0000', details: '\u0000' }])
    expect(logged.status).toBeLessThan(500)
    const { reply } = await startConversation(chat, 'errors-bot')
    expect(textsOf(await reply('Hey\u0000there'))).toEqual(["That's nice!"])
    const preview = await createChatClient(owner.call).preview(mainId, { sessionId: 'a\u0000b' })
    expect(preview.status).toBeLessThan(500)
  })

  it('never hands out a preview session id that continueChat cannot reach', async () => {
    const sessionId = 'p'.repeat(150)
    const preview = await createChatClient(owner.call).preview(mainId, { sessionId })
    expect(preview.status).toBeLessThan(500)
    if (preview.status !== 200) return
    expect(preview.body.sessionId).toBe(sessionId)
    const reply = await chat.reply(sessionId, 'Hey')
    expect(reply.status, JSON.stringify(reply.body)).toBe(200)
  })

  it('answers 404 to a reply after a completed live conversation, and keeps the result', async () => {
    const { start, reply } = await startConversation(chat, 'errors-bot')
    expect(textsOf(await reply('Hey'))).toEqual(["That's nice!"])
    const after = await reply('Hey again')
    expect(after.status).toBe(404)
    expect(after.body).toEqual({ message: 'Session not found.', code: 'NOT_FOUND' })
    expect((await chat.clientLogs(start.body.sessionId, [{ description: 'late' }])).status).toBe(404)
    const result = await owner.call('GET', `/v1/typebots/${mainId}/results/${start.body.resultId}`)
    expect(result.body.result.answers.map((answer: any) => answer.content)).toEqual(['Hey'])
  })
})

describe('the typebot changes under a running conversation', () => {
  it('goes on after an unpublish, and answers 404 once the typebot is deleted', async () => {
    const [unpublishedId, deletedId] = (await importAndPublish(owner, [
      { fixture: 'hugeGroup.json', publicId: 'errors-to-unpublish' },
      { fixture: 'hugeGroup.json', publicId: 'errors-to-delete' },
    ])) as [string, string]
    const unpublished = await startConversation(chat, 'errors-to-unpublish')
    const deleted = await startConversation(chat, 'errors-to-delete')
    expect((await owner.call('POST', `/v1/typebots/${unpublishedId}/unpublish`, { body: {} })).status).toBe(200)
    expect((await owner.call('DELETE', `/v1/typebots/${deletedId}`)).status).toBe(200)
    expect(textsOf(await unpublished.reply('Ada'))).toEqual(['How old are you?'])
    expect((await chat.start('errors-to-unpublish')).status).toBe(404)
    const gone = await deleted.reply('Ada')
    expect(gone.status).toBe(404)
    expect(gone.body).toEqual({ message: 'Session not found.', code: 'NOT_FOUND' })
  })
})

describe('odd but valid messages never fail with 500', () => {
  it('handles a command at start, an audio message and a missing message on a reply event', async () => {
    // A start message that could answer the first input is applied as a continueChat would (§4.5.1).
    const command = await chat.start('errors-bot', { message: { type: 'command', command: 'wizz' } })
    expect(command.status).toBe(400)
    expect(command.body).toEqual({ message: 'Command event not found', code: 'BAD_REQUEST' })
    const { sessionId } = await startConversation(chat, 'errors-bot')
    const audio = await chat.reply(sessionId, { type: 'audio', url: 'https://example.com/clip.mp3' })
    expect(audio.status).toBeLessThan(500)
    // Typebot answers 500 here (§4.9.4 with no message, §10.4 item 32); a missing message must not break the session.
    const replyEvent = await startConversation(chat, 'errors-reply-event')
    const nothing = await replyEvent.reply()
    expect(nothing.status).toBeLessThan(500)
    expect(textsOf(await replyEvent.reply('Hi!'))).toContain("What's your name?")
  })
})
