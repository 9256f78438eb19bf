/**
 * Command and reply events, Jump and Return through the public Chat API (§4.9, §9.4):
 * commandEvent.json, replyEvent.json, return.json.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiClient } from '../helpers/api-client.js'
import {
  answerContents,
  type ChatClient,
  createChatClient,
  getResult,
  startConversation,
  startPreview,
  textsOf,
} from '../helpers/chat-conversation.js'
import { importAndPublish } from '../helpers/chat-fixtures.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { createTestUser, type TestUser } from '../helpers/users.js'

let server: TestServer
let owner: TestUser
let chat: ChatClient
let replyEventId: string
let commandEventId: string

beforeAll(async () => {
  server = await startTestServer()
  owner = await createTestUser(server)
  chat = createChatClient(createApiClient(server.url))
  ;[commandEventId, replyEventId] = (await importAndPublish(owner, [
    { fixture: 'commandEvent.json', publicId: 'events-command' },
    { fixture: 'replyEvent.json', publicId: 'events-reply' },
    { fixture: 'return.json', publicId: 'events-return' },
  ])) as [string, string, string]
})
afterAll(async () => server.close())

const command = (name: string) => ({ type: 'command', command: name })

describe('commandEvent.json (§4.9.3)', () => {
  it('runs a command sub-flow and shows the waiting buttons again, without retry text', async () => {
    const { start, reply } = await startConversation(chat, 'events-command')
    expect(textsOf(start)).toEqual(['Welcome to AA (Awesome Agency)', ''])
    expect(start.body.input).toMatchObject({ id: 'sbjZWLJGVkHAkDqS4JQeGow', type: 'choice input' })

    const wizz = await reply(command('wizz'))
    expect(wizz.status).toBe(200)
    expect(textsOf(wizz)).toEqual(['Wizzzzz'])
    expect(wizz.body).toMatchObject({ input: { id: 'sbjZWLJGVkHAkDqS4JQeGow', type: 'choice input' }, clientSideActions: [], logs: [] })

    const hi = await reply('Hi!')
    expect(textsOf(hi)).toEqual(['Hey there!'])
    // A command is not an answer: only the button click is stored.
    expect(answerContents(await getResult(owner, commandEventId, start.body.resultId))).toEqual(['Hi!'])
  })

  it('answers 400 "Command event not found" for an unknown command and leaves the session as it was', async () => {
    const { reply } = await startConversation(chat, 'events-command')
    const unknown = await reply(command('dance'))
    expect(unknown.status).toBe(400)
    expect(unknown.body).toMatchObject({ message: 'Command event not found', code: 'BAD_REQUEST' })
    expect(textsOf(await reply(command('wizz')))).toEqual(['Wizzzzz'])
    expect(textsOf(await reply('Hi!'))).toEqual(['Hey there!'])
  })

  it('ends the conversation with "leave": the live session is deleted', async () => {
    const { reply } = await startConversation(chat, 'events-command')
    const leave = await reply(command('leave'))
    expect(leave.body).toEqual({ messages: [expect.objectContaining({ type: 'text' })], clientSideActions: [], logs: [] })
    expect(textsOf(leave)).toEqual(['Leaving!'])
    const after = await reply('Hi!')
    expect(after.status).toBe(404)
    expect(after.body).toEqual({ message: 'Session not found.', code: 'NOT_FOUND' })
  })

  it('keeps a preview session after "leave" (§2.5)', async () => {
    const preview = await startPreview(owner, commandEventId)
    expect(textsOf(await preview.reply(command('leave')))).toEqual(['Leaving!'])
    const again = await preview.reply('Hi!')
    expect(again.status).toBe(200)
  })
})

describe('replyEvent.json (§4.9.1)', () => {
  it('runs the reply sub-flow before each answer, then applies the answer on Return', async () => {
    const { start, reply } = await startConversation(chat, 'events-reply')
    expect(start.body.input.type).toBe('choice input')

    const hi = await reply('Hi!')
    expect(textsOf(hi)).toEqual(['Hi!', 'buttons', 'Welcome', "What's your name?"])
    expect(hi.body).toMatchObject({ input: { type: 'text input' }, clientSideActions: [], logs: [] })

    const name = await reply('Baptiste')
    expect(textsOf(name)).toEqual([
      'Baptiste',
      'text',
      'Name',
      'Great! Nice to meet you Baptiste',
      "What's the best email we can reach you at?",
    ])
    expect(name.body.input.type).toBe('email input')

    // The email branch returns at once: nothing echoed.
    const email = await reply('baptiste@typebot.io')
    expect(textsOf(email)).toEqual(['What services are you interested in?'])
    expect(email.body.input.type).toBe('choice input')

    const result = await getResult(owner, replyEventId, start.body.resultId)
    expect(answerContents(result)).toEqual(['Hi!', 'Baptiste', 'baptiste@typebot.io'])
  })

  it('sends the email retry after the sub-flow returns on an invalid email', async () => {
    const { reply } = await startConversation(chat, 'events-reply')
    await reply('Hi!')
    await reply('Baptiste')
    const invalid = await reply('not an email')
    expect(textsOf(invalid)).toEqual(["This email doesn't seem to be valid. Can you type it again?"])
    expect(invalid.body.input.type).toBe('email input')
  })

  it('ends the flow without applying the answer when the sub-flow has no Return ("leave")', async () => {
    const { start, reply } = await startConversation(chat, 'events-reply')
    await reply('Hi!')
    const leave = await reply('leave')
    expect(textsOf(leave)).toEqual(['leave', 'text', 'Name'])
    expect(leave.body).toMatchObject({ clientSideActions: [], logs: [] })
    expect(leave.body).not.toHaveProperty('input')
    expect((await reply('Baptiste')).status).toBe(404)
    expect(answerContents(await getResult(owner, replyEventId, start.body.resultId))).toEqual(['Hi!'])
  })
})

describe('return.json (§4.11.3)', () => {
  it('returns after the Jump, ignores a Return without mark, and ends silently on a dangling edge', async () => {
    const { start, reply } = await startConversation(chat, 'events-return')
    expect(textsOf(start)).toEqual(['Hey!'])
    expect(start.body.input).toMatchObject({ id: 'sbjZWLJGVkHAkDqS4JQeGow', type: 'choice input' })

    const hi = await reply('Hi!')
    expect(textsOf(hi)).toEqual(["What's your name?"])
    expect(hi.body.input).toMatchObject({ id: 'sqEsMo747LTDnY9FjQcEwUv', type: 'text input' })

    const bob = await reply('Bob')
    expect(bob.body).toEqual({ messages: [], clientSideActions: [], logs: [] })
    expect((await reply('Bob')).status).toBe(404)
  })
})
