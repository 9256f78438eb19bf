import { describe, expect, it } from 'vitest'
import { AppError } from '../errors.js'
import { createConversation, loadFixture, loadTypebotDocument, textsOf } from './test-driver.js'
import type { Block } from './types.js'

describe('routing after a reply', () => {
  const bot = loadFixture('condition.json')

  it.each([
    ['40', ['You are older than 20']],
    ['90', ['You are older than 80']],
    // A matched condition item without an edge ends the flow: the next text never shows.
    ['15', ['You are younger than 20']],
  ])('answers %s with %j and ends the conversation', (age, texts) => {
    const chat = createConversation(bot)
    chat.start()
    const turn = chat.reply(age)
    expect(textsOf(turn)).toEqual(texts)
    expect(turn).toMatchObject({ isCompleted: true, clientSideActions: [], logs: [] })
    expect(turn.input).toBeUndefined()
  })

  it('saves one answer per input of a huge group, keyed by variable or group title (hugeGroup.json)', () => {
    const chat = createConversation(loadFixture('hugeGroup.json'))
    chat.start()
    expect(textsOf(chat.reply('Baptiste'))).toEqual(['How old are you?'])
    expect(textsOf(chat.reply('26'))).toEqual(['Cool!', 'Do you eat pizza?'])
    const done = chat.reply('Yes')
    expect(done).toMatchObject({ messages: [], hasWalked: false, isCompleted: true })
    expect(chat.persisted.answers.map(({ blockId, content }) => [blockId, content])).toEqual([
      ['sq3mPXUrugs5t6FoME3T4t4', 'Baptiste'],
      ['s4fFn3s7nouQk88iJ3oLgx6', '26'],
      ['sxn8UjQ2MjEMuRjhkh7LWws', 'Yes'],
    ])
    expect(chat.state.typebotsQueue[0].answers).toEqual([
      { key: 'Name', value: 'Baptiste' },
      { key: 'Group #1 (1)', value: '26' },
      { key: 'Group #1 (2)', value: 'Yes' },
    ])
    expect(chat.persisted.results.at(-1)).toMatchObject({ hasStarted: true, isCompleted: true })
  })

  it('records item and Jump edges as visited edges (analytics.json)', () => {
    const chat = createConversation(loadFixture('analytics.json'))
    chat.start()
    chat.reply('I have a feature request ✨')
    const restart = chat.reply('Restart')
    expect(restart.input?.type).toBe('choice input')
    expect(chat.persisted.visitedEdges.map(({ edgeId, index }) => [edgeId, index])).toEqual([
      ['dhniFxrsH5r54aEE5JXwK2', 0],
      ['virtual-vLUAPaxKwPF49iZhg4XZYa', 1],
    ])
  })

  it('sends non-blocking wait and redirect actions along with the messages (redirect.json)', () => {
    const chat = createConversation(loadFixture('redirect.json'))
    chat.start()
    const go = chat.reply('Go')
    expect(textsOf(go)).toEqual(['Redirecting...'])
    expect(go.clientSideActions).toEqual([
      { type: 'wait', wait: { secondsToWaitFor: 1 } },
      { type: 'redirect', redirect: { url: 'https://google.com' }, lastBubbleBlockId: 'kb86l5axoml9yofrlo7rh7ir' },
    ])
    expect(go.isCompleted).toBe(true)
  })
})

describe('blocks that wait for a dedicated reply', () => {
  it('asks the client for a Set variable value, then shows it (setVariable.json)', () => {
    const chat = createConversation(loadFixture('setVariable.json'))
    const start = chat.start()
    expect(start.messages).toEqual([])
    expect(start.clientSideActions).toEqual([
      {
        type: 'setVariable',
        setVariable: { scriptToExecute: { content: 'document.location.origin', isCode: true, args: [] } },
        expectsDedicatedReply: true,
      },
    ])
    expect(start.isCompleted).toBe(false)
    const shown = chat.reply('http://127.0.0.1:3001', 'markdown')
    expect(shown.messages[0]!.content).toEqual({ type: 'markdown', markdown: 'http://127.0.0.1:3001' })
    expect(shown.isCompleted).toBe(true)
  })

  it('listens for a webhook and applies what the client relays (webhookListener.json)', () => {
    const chat = createConversation(loadFixture('webhookListener.json'))
    const start = chat.start()
    expect(textsOf(start)).toEqual(['result1', 'Waiting for webhook...'])
    expect(start.clientSideActions).toEqual([
      { type: 'listenForWebhook', expectsDedicatedReply: true, lastBubbleBlockId: 'w5z70e8hjass23tke8vs367o' },
    ])
    expect(textsOf(chat.reply('{"data":{"ok":true}}'))).toEqual(['Hurray!'])
  })
})

describe('sessions that lost their place', () => {
  const main = loadFixture('chat/main.json')

  it('restarts a session that completed during start, keeping variables', () => {
    const chat = createConversation(loadFixture('condition.json'))
    chat.start()
    chat.reply('40')
    chat.setState({ ...chat.state, currentBlockId: undefined })
    const again = chat.reply('33')
    // The restart stops on the number input after a bubble: the message is not consumed.
    expect(textsOf(again)).toEqual(['How old are you?'])
    expect(chat.state.typebotsQueue[0].answers).toEqual([])
    expect(chat.state.typebotsQueue[0].variables[0]!.value).toBe('40')
  })

  it('consumes the message after a restart when the flow starts with a plain input', () => {
    const chat = createConversation(loadFixture('chat/startingWithInput.json'))
    chat.start({ isOnlyRegistering: true })
    expect(textsOf(chat.reply('Hey'))).toEqual(["That's nice!"])
  })

  it('walks from the relocation group and logs why', () => {
    const chat = createConversation(main)
    chat.start()
    chat.setState({ ...chat.state, currentBlockId: 'deleted', relocation: { groupId: 'clauukoka000c3b6qe6chawis', reason: 'Moved.' } })
    const turn = chat.reply('ignored')
    expect(turn.logs).toEqual([{ status: 'info', description: 'Moved.' }])
    expect(textsOf(turn)[0]).toBe('Nice to meet you ')
    expect(turn.input?.type).toBe('number input')
    expect(chat.state.relocation).toBeUndefined()
  })

  it('applies the message when the relocation walk stops silently on a plain input', () => {
    const chat = createConversation(main)
    chat.start()
    chat.setState({ ...chat.state, relocation: { reason: 'Back to start.' }, currentBlockId: 'deleted' })
    // Bubbles came first: the message is not an answer to the input they lead to.
    const fromStart = chat.reply('John')
    expect(textsOf(fromStart)).toEqual(['Hi there! 👋', "Welcome. What's your name?"])
    expect(chat.persisted.answers).toEqual([])
    const startingWithInput = createConversation(loadFixture('chat/startingWithInput.json'))
    startingWithInput.start()
    startingWithInput.setState({ ...startingWithInput.state, relocation: { reason: 'Back to start.' } })
    expect(textsOf(startingWithInput.reply('Hey'))).toEqual(["That's nice!"])
  })

  it('starts over instead of failing when the waiting block vanished', () => {
    const chat = createConversation(main)
    chat.start()
    chat.setState({ ...chat.state, currentBlockId: 'vanished' })
    const turn = chat.reply('John')
    expect(turn.logs).toEqual([{ status: 'info', description: expect.stringContaining('(vanished) no longer exists') }])
    expect(turn.input?.type).toBe('text input')
  })
})

describe('walk safeguards', () => {
  const document = (blocks: unknown[], edges: unknown[] = []) => ({
    version: '6.1',
    id: 'bot',
    name: 'bot',
    events: [{ id: 'start', type: 'start', outgoingEdgeId: 'e0', graphCoordinates: { x: 0, y: 0 } }],
    groups: [{ id: 'g1', title: 'One', graphCoordinates: { x: 0, y: 0 }, blocks }],
    edges: [{ id: 'e0', from: { eventId: 'start' }, to: { groupId: 'g1' } }, ...edges],
    variables: [],
    theme: {},
    settings: {},
  })

  it('logs unsupported blocks and goes on', () => {
    const bot = loadTypebotDocument(
      document([
        { id: 'qr', type: 'qr-code', options: {} },
        { id: 't1', type: 'text', content: { richText: [{ type: 'p', children: [{ text: 'after' }] }] } },
      ]),
    )
    const turn = createConversation(bot).start()
    expect(turn.logs).toEqual([{ status: 'info', description: 'qr-code block is not supported by botflow and was skipped' }])
    expect(textsOf(turn)).toEqual(['after'])
  })

  it('stops a flow that loops without ever waiting', () => {
    const bot = loadTypebotDocument(document([{ id: 'jump', type: 'Jump', options: { groupId: 'g1' } }]))
    let error: unknown
    try {
      createConversation(bot).start()
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(AppError)
    expect(error).toMatchObject({ code: 'TIMEOUT' })
  })

  it('pauses on a Wait with shouldPause and goes on with the next call', () => {
    const bot = loadTypebotDocument(
      document([
        { id: 'wait', type: 'Wait', options: { secondsToWaitFor: '2,5', shouldPause: true } },
        { id: 't1', type: 'text', content: { richText: [{ type: 'p', children: [{ text: 'after' }] }] } },
      ]),
    )
    const chat = createConversation(bot)
    const start = chat.start()
    expect(start.clientSideActions).toEqual([{ type: 'wait', wait: { secondsToWaitFor: 2.5 }, expectsDedicatedReply: true }])
    expect(chat.state.currentBlockId).toBe('wait')
    expect(textsOf(chat.reply())).toEqual(['after'])
  })

  it('never mutates the incoming state or the snapshot', () => {
    const main = loadFixture('chat/main.json')
    const frozen = JSON.stringify(main.typebot)
    const chat = createConversation(main)
    chat.start()
    const before = chat.state
    const copy = JSON.stringify(before)
    chat.reply('John')
    expect(JSON.stringify(before)).toBe(copy)
    expect(JSON.stringify(main.typebot)).toBe(frozen)
    const blocks: Block[] = main.typebot.groups.flatMap((group) => group.blocks)
    expect(blocks.some((block) => block.id.startsWith('virtual-'))).toBe(false)
  })
})
