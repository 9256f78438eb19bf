import { describe, expect, it } from 'vitest'
import { AppError } from '../errors.js'
import { createConversation, loadFixture, textsOf } from './test-driver.js'

describe('command events (commandEvent.json)', () => {
  const bot = loadFixture('commandEvent.json')

  it('runs the command sub-flow and returns to the waiting input', () => {
    const chat = createConversation(bot)
    const start = chat.start()
    expect(start.input?.type).toBe('choice input')

    const wizz = chat.reply({ type: 'command', command: 'wizz' })
    expect(textsOf(wizz)).toEqual(['Wizzzzz'])
    expect(wizz.input).toMatchObject({ id: 'sbjZWLJGVkHAkDqS4JQeGow', type: 'choice input' })
    expect(wizz).toMatchObject({ hasWalked: true, isRetry: false, clientSideActions: [], logs: [] })
    expect(chat.state.returnMark).toBeUndefined()
    // Commands are not answers.
    expect(chat.persisted.answers).toEqual([])

    const hi = chat.reply('Hi!')
    expect(textsOf(hi)).toEqual(['Hey there!'])
  })

  it('refuses an unknown command and leaves the session as it was', () => {
    const chat = createConversation(bot)
    chat.start()
    const before = chat.state
    expect(() => chat.reply({ type: 'command', command: 'nope' })).toThrow(new AppError('INVALID_REQUEST', 'Command event not found'))
    expect(chat.state).toBe(before)
    expect(textsOf(chat.reply({ type: 'command', command: 'wizz' }))).toEqual(['Wizzzzz'])
  })

  it('ends the conversation when the command sub-flow ends', () => {
    const chat = createConversation(bot)
    chat.start()
    const leave = chat.reply({ type: 'command', command: 'leave' })
    expect(textsOf(leave)).toEqual(['Leaving!'])
    expect(leave).toMatchObject({ isCompleted: true, clientSideActions: [], logs: [] })
    expect(leave.input).toBeUndefined()
  })

  it('comes back through a queued edge when the command resumes after', () => {
    const resumable = loadFixture('commandEvent.json', {
      events: (bot.typebot.events ?? []).map((event) =>
        event.options?.command === 'leave' ? { ...event, options: { command: 'leave', resumeAfter: true } } : event,
      ),
    })
    const chat = createConversation(resumable)
    chat.start()
    const leave = chat.reply({ type: 'command', command: 'leave' })
    expect(textsOf(leave)).toEqual(['Leaving!'])
    expect(leave.input).toMatchObject({ id: 'sbjZWLJGVkHAkDqS4JQeGow' })
    expect(chat.state.typebotsQueue[0].queuedEdgeIds).toEqual([])
  })

  it('rejects a command whose event is not connected', () => {
    const unconnected = loadFixture('commandEvent.json', {
      events: (bot.typebot.events ?? []).map((event) =>
        event.options?.command === 'leave' ? { ...event, outgoingEdgeId: undefined } : event,
      ),
    })
    const chat = createConversation(unconnected)
    chat.start()
    expect(() => chat.reply({ type: 'command', command: 'leave' })).toThrow("Command event doesn't have a connected edge")
  })
})

describe('reply events (replyEvent.json)', () => {
  const bot = loadFixture('replyEvent.json')

  it('runs the reply sub-flow first, then applies the reply on Return', () => {
    const chat = createConversation(bot)
    chat.start()
    const hi = chat.reply('Hi!')
    expect(textsOf(hi)).toEqual(['Hi!', 'buttons', 'Welcome', "What's your name?"])
    expect(hi.input?.type).toBe('text input')
    expect(chat.persisted.answers.map((answer) => answer.content)).toEqual(['Hi!'])

    const name = chat.reply('Baptiste')
    expect(textsOf(name)).toEqual([
      'Baptiste',
      'text',
      'Name',
      'Great! Nice to meet you Baptiste',
      "What's the best email we can reach you at?",
    ])
    expect(name.input?.type).toBe('email input')

    // The email branch goes straight to Return: nothing is echoed.
    const email = chat.reply('baptiste@typebot.io')
    expect(textsOf(email)).toEqual(['What services are you interested in?'])
    expect(email.input?.type).toBe('choice input')
  })

  it('never applies the reply when the sub-flow ends without Return', () => {
    const chat = createConversation(bot)
    chat.start()
    chat.reply('Hi!')
    const leave = chat.reply('leave')
    expect(textsOf(leave)).toEqual(['leave', 'text', 'Name'])
    expect(leave).toMatchObject({ isCompleted: true, clientSideActions: [], logs: [] })
    expect(chat.persisted.answers.map((answer) => answer.content)).toEqual(['Hi!'])
  })

  it('re-validates an invalid reply on Return and sends the retry message', () => {
    const chat = createConversation(bot)
    chat.start()
    chat.reply('Hi!')
    chat.reply('Baptiste')
    // The email branch of the sub-flow returns at once; the reply is then validated and refused.
    const invalid = chat.reply('not an email')
    expect(textsOf(invalid)).toEqual(["This email doesn't seem to be valid. Can you type it again?"])
    expect(invalid).toMatchObject({ isRetry: true, hasWalked: true, input: { type: 'email input' } })
    expect(chat.persisted.answers.map((answer) => answer.content)).toEqual(['Hi!', 'Baptiste'])
  })

  it('sends the reply to an invalid-reply event instead, and shows the input again on Return', () => {
    const withInvalidReply = loadFixture('replyEvent.json', {
      events: (bot.typebot.events ?? []).map((event) => (event.type === 'reply' ? { ...event, type: 'invalidReply' as const } : event)),
    })
    const chat = createConversation(withInvalidReply)
    chat.start()
    // A valid reply does not trigger it.
    expect(textsOf(chat.reply('Hi!'))).toEqual(["What's your name?"])
    chat.reply('Baptiste')
    const invalid = chat.reply('not an email')
    expect(invalid).toMatchObject({ messages: [], isRetry: false, input: { type: 'email input' } })
    expect(chat.state.returnMark).toBeUndefined()
    const mapped = Object.fromEntries(chat.state.typebotsQueue[0].variables.map((variable) => [variable.name, variable.value]))
    expect(mapped).toMatchObject({ 'last utterance': 'not an email', 'last input type': 'email', 'last input name': 'Email' })
    expect(textsOf(chat.reply('jo@example.com'))).toEqual(['What services are you interested in?'])
  })
})

describe('broken or unconnected reply events', () => {
  const bot = loadFixture('replyEvent.json')

  it('answers 400 when the reply event edge is gone', () => {
    const broken = loadFixture('replyEvent.json', { edges: bot.typebot.edges.filter((edge) => edge.id !== 'e9l3fbtnuy88ul1m3rqcrp25') })
    const chat = createConversation(broken)
    chat.start()
    expect(() => chat.reply('Hi!')).toThrow(new AppError('INVALID_REQUEST', 'Could not find outgoing edge'))
  })

  it('sends the retry message when the invalid-reply event is not connected (Typebot answers 400)', () => {
    const unconnected = loadFixture('replyEvent.json', {
      events: (bot.typebot.events ?? []).map((event) =>
        event.type === 'reply' ? { ...event, type: 'invalidReply' as const, outgoingEdgeId: undefined } : event,
      ),
    })
    const chat = createConversation(unconnected)
    chat.start()
    chat.reply('Hi!')
    chat.reply('Baptiste')
    const invalid = chat.reply('not an email')
    expect(invalid).toMatchObject({ isRetry: true, input: { type: 'email input' } })
  })
})

describe('Jump and Return (return.json)', () => {
  const bot = loadFixture('return.json')

  it('returns after the jump and ignores a Return without mark', () => {
    const chat = createConversation(bot)
    const start = chat.start()
    expect(textsOf(start)).toEqual(['Hey!'])
    expect(start.input?.type).toBe('choice input')

    const hi = chat.reply('Hi!')
    expect(textsOf(hi)).toEqual(["What's your name?"])
    expect(hi.input?.type).toBe('text input')

    // The input's edge names an edge that is not in the bot: the walk ends silently.
    const bob = chat.reply('Bob')
    expect(bob).toMatchObject({ messages: [], clientSideActions: [], logs: [], hasWalked: true, isCompleted: true })
  })

  it('logs and goes on when the marked block no longer exists', () => {
    const chat = createConversation(bot)
    chat.start()
    chat.reply('Hi!')
    chat.setState({ ...chat.state, returnMark: { status: 'pending', blockId: 'gone' } })
    chat.setState({ ...chat.state, currentBlockId: 'sgtE2Sy7cKykac9B223Kq9R' })
    const turn = chat.reply()
    expect(turn.logs).toEqual([{ status: 'error', description: 'Could not find block to return to', details: '{"blockId":"gone"}' }])
    expect(turn.input?.type).toBe('text input')
  })
})
