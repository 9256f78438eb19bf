import { describe, expect, it } from 'vitest'
import { AppError } from '../errors.js'
import { createConversation, loadFixture, loadTypebotDocument, textsOf } from './test-driver.js'

describe('a start message (chat/startingWithInput.json, §9.2)', () => {
  const bot = loadFixture('chat/startingWithInput.json')

  it('answers the first input when nothing is shown before it', () => {
    const chat = createConversation(bot)
    const start = chat.start({ message: { type: 'text', text: 'Hey' } })
    expect(start.messages[0]!.content).toEqual({ type: 'richText', richText: [{ type: 'p', children: [{ text: "That's nice!" }] }] })
    expect(start).toMatchObject({ isCompleted: true, clientSideActions: [], logs: [] })
    expect(start.input).toBeUndefined()
    expect(chat.persisted.answers.map((answer) => answer.content)).toEqual(['Hey'])
    expect(chat.persisted.results.at(-1)).toMatchObject({ id: 'result1', hasStarted: true, isCompleted: true })
  })

  it('waits on the input without a message, then continues', () => {
    const chat = createConversation(bot)
    const start = chat.start()
    expect(start.messages).toEqual([])
    expect(start.input?.type).toBe('text input')
    expect(chat.persisted.results.at(-1)).toMatchObject({ hasStarted: false, isCompleted: false })
    const reply = chat.reply('Hey')
    expect(textsOf(reply)).toEqual(["That's nice!"])
    expect(reply).toMatchObject({ clientSideActions: [], logs: [], hasWalked: true })
  })

  it('ignores the message when the first input needs one of its buttons (redirect.json)', () => {
    const chat = createConversation(loadFixture('redirect.json'))
    const start = chat.start({ message: { type: 'text', text: 'Go' } })
    expect(start).toMatchObject({ messages: [], clientSideActions: [], input: { type: 'choice input' } })
    expect(chat.persisted.answers).toEqual([])
  })

  it('ignores the message when a bubble came first', () => {
    const chat = createConversation(loadFixture('chat/main.json'))
    const start = chat.start({ message: { type: 'text', text: 'John' } })
    expect(textsOf(start)).toEqual(['Hi there! 👋', "Welcome. What's your name?"])
    expect(chat.persisted.answers).toEqual([])
  })
})

describe('prefilled variables (predefinedVariables.json, a v4 export)', () => {
  const bot = loadFixture('predefinedVariables.json')

  it('shows empty values without prefilled variables', () => {
    const chat = createConversation(bot)
    const start = chat.start()
    expect(start.messages[1]!.content).toEqual({ type: 'richText', richText: [{ type: 'p', children: [{ text: 'Your name is ' }] }] })
    expect(start.input).not.toHaveProperty('prefilledValue')
    expect(start.input).not.toHaveProperty('groupId')
  })

  it('writes prefilled values by name, with history, and prefills the input', () => {
    const chat = createConversation(bot)
    const start = chat.start({ prefilledVariables: { Name: 'Baptiste', Email: 'email@test.com', Unknown: 'x' } })
    expect(start.messages[1]!.content).toEqual({
      type: 'richText',
      richText: [{ type: 'p', children: [{ text: 'Your name is ' }, { text: 'Baptiste' }] }],
    })
    expect(start.input).toMatchObject({ type: 'email input', prefilledValue: 'email@test.com' })
    expect(chat.persisted.setVariableHistory.map(({ variableId, value, index }) => [variableId, value, index])).toEqual([
      ['cl13bha3l00082e6duaz0xm6f', 'Baptiste', 0],
    ])
    expect(chat.reply('email@test.com')).toMatchObject({ messages: [], hasWalked: false, isCompleted: true })
  })
})

describe('dynamic theme (dynamicAvatars.json)', () => {
  it('keeps the avatar templates in the state', () => {
    const chat = createConversation(loadFixture('dynamicAvatars.json'))
    chat.start()
    expect(chat.state.dynamicTheme).toEqual({ hostAvatarUrl: '{{Avatar URL}}', guestAvatarUrl: '{{Avatar URL}}' })
    chat.reply('Next')
    expect(chat.state.typebotsQueue[0].variables[0]!.value).toBe('😅')
  })

  it('stores no dynamic theme for plain URLs', () => {
    const chat = createConversation(loadFixture('linkTypebots/2.json'))
    chat.start()
    expect(chat.state.dynamicTheme).toBeUndefined()
  })
})

describe('start options', () => {
  const main = loadFixture('chat/main.json')

  it('only registers: no walk, no result', () => {
    const chat = createConversation(main)
    const turn = chat.start({ isOnlyRegistering: true, message: { type: 'text', text: 'ignored' } })
    expect(turn).toMatchObject({ messages: [], hasWalked: false })
    expect(turn.records.results).toEqual([])
    expect(chat.state.currentBlockId).toBeUndefined()
    // The first continue starts the flow.
    expect(textsOf(chat.reply())).toEqual(['Hi there! 👋', "Welcome. What's your name?"])
  })

  it('starts from a group or an event in preview, and rejects unknown ones', () => {
    const chat = createConversation(main, { isPreview: true })
    expect(textsOf(chat.start({ startFrom: { type: 'group', groupId: 'clauuoekh000u3b6q6zmlx7f9' } }))).toEqual([
      'My magic number is 42',
      "I'm gonna shoot multiple inputs now...",
    ])
    expect(() => chat.start({ startFrom: { type: 'group', groupId: 'nope' } })).toThrow(
      new AppError('INVALID_REQUEST', "Start group doesn't exist"),
    )
    expect(() => chat.start({ startFrom: { type: 'event', eventId: 'nope' } })).toThrow("Start event doesn't exist")
    expect(textsOf(chat.start({ startFrom: { type: 'event', eventId: 'clauujawn0000vs1a8z6k2k7d' } }))[0]).toBe('Hi there! 👋')
  })

  it('copies allowed origins for live sessions only, and tracks progress when asked', () => {
    const secured = loadFixture('chat/main.json', { settings: { security: { allowedOrigins: ['https://a.example'] } } })
    const live = createConversation(secured)
    live.start()
    expect(live.state.allowedOrigins).toEqual(['https://a.example'])
    const preview = createConversation(secured, { isPreview: true })
    const start = preview.start({ isProgressBarEnabled: true })
    expect(preview.state.allowedOrigins).toBeUndefined()
    expect(preview.state.progressMetadata).toEqual({ totalAnswers: 0 })
    expect(start.progress).toBeGreaterThan(0)
    expect(start.progress).toBeLessThan(100)
  })

  it('restores a remembered result: answers and the values the typebot leaves empty', () => {
    const chat = createConversation(main)
    chat.start({
      restoredResult: {
        variables: [{ id: 'other-id', name: 'Name', value: 'Ada' }],
        answers: [
          { blockId: 'clauukip8000a3b6qtzl288tu', content: 'Ada' },
          { blockId: 'clauurs1o001k3b6qgrj0xf59', content: 'Yes' },
          { blockId: 'clauujxdd00073b6qpejnkzcy', content: '?' },
        ],
      },
    })
    expect(chat.state.typebotsQueue[0].answers).toEqual([
      { key: 'Name', value: 'Ada' },
      { key: 'Multiple input in group', value: 'Yes' },
      { key: 'unknown', value: '?' },
    ])
    expect(chat.state.typebotsQueue[0].variables.find((variable) => variable.name === 'Name')?.value).toBe('Ada')
  })

  it('asks live clients to inject start properties and tells preview ones they are off', () => {
    const document = {
      version: '6.1',
      id: 'props-bot',
      name: 'props',
      events: [{ id: 'start', type: 'start', outgoingEdgeId: 'e1', graphCoordinates: { x: 0, y: 0 } }],
      groups: [
        {
          id: 'g1',
          title: 'Group',
          graphCoordinates: { x: 0, y: 0 },
          blocks: [
            { id: 'ga', type: 'Google Analytics', options: { trackingId: 'G-123' } },
            { id: 'px', type: 'Pixel', options: { pixelId: '42', eventType: 'Lead' } },
          ],
        },
      ],
      edges: [{ id: 'e1', from: { eventId: 'start' }, to: { groupId: 'g1' } }],
      variables: [],
      theme: {},
      settings: { metadata: { customHeadCode: 'text <style>.lite-badge{display:none} p{color:red}</style> more <meta name="a">' } },
    }
    const live = createConversation(loadTypebotDocument(document)).start()
    expect(live.clientSideActions[0]).toEqual({
      type: 'startPropsToInject',
      startPropsToInject: { googleAnalyticsId: 'G-123', pixelIds: ['42'], customHeadCode: '<style> p{color:red}</style>\n<meta name="a">' },
    })
    const preview = createConversation(loadTypebotDocument(document), { isPreview: true }).start()
    expect(preview.clientSideActions.some((action) => action.type === 'startPropsToInject')).toBe(false)
    expect(preview.logs).toContainEqual({
      status: 'info',
      description: 'Custom head code, Google Analytics, Pixel are not enabled in Preview mode',
    })
  })
})
