import { describe, expect, it } from 'vitest'
import { createConversation, loadFixture, textsOf } from '../../test-driver.js'

const bot1 = loadFixture('linkTypebots/1.json')
const bot2 = loadFixture('linkTypebots/2.json')
const bot3 = loadFixture('linkTypebots/3.json')
const bot1MergeDisabled = loadFixture('linkTypebots/1-merge-disabled.json')

describe('Typebot link (linkTypebots/*.json)', () => {
  it('links to the current bot, then to merged bots, and comes back to the end of bot 1', () => {
    const chat = createConversation(bot1, { typebots: [bot2, bot3] })
    const start = chat.start()
    expect(textsOf(start)).toEqual(['Hey!'])
    expect(start.input).toEqual({ id: 'r26l9tdez17sgx4xiwku15mk', type: 'text input' })

    const first = chat.reply('Start')
    expect(textsOf(first)).toEqual(['First test message'])
    expect(first.input).toBeUndefined()
    expect(first.clientSideActions).toEqual([
      {
        type: 'setVariable',
        setVariable: { scriptToExecute: { content: 'location.href', args: [], isCode: true } },
        expectsDedicatedReply: true,
        lastBubbleBlockId: 't4u8h07eq17f6oqmsydcqyaj',
      },
    ])
    expect(chat.state.typebotsQueue.map((entry) => entry.typebotId)).toEqual([bot2.typebot.id, bot1.typebot.id])

    const url = chat.reply('http://localhost/link')
    expect(url.messages).toEqual([])
    expect(url.input?.type).toBe('text input')
    expect(chat.state.typebotsQueue[0].variables).toEqual([
      { id: 'viwz31ebsd50rrmas15t8dl8c', name: 'URL', value: 'http://localhost/link', isSessionVariable: true },
    ])

    const hello = chat.reply('Hello there!')
    expect(textsOf(hello)).toEqual(['Cheers!', 'test 3', 'end 3', 'End'])
    expect(hello).toMatchObject({ isCompleted: true, clientSideActions: [], logs: [] })
    expect(chat.state.typebotsQueue).toHaveLength(1)
    // Merged links share bot 1's result.
    expect(chat.persisted.answers.map(({ resultId, content }) => [resultId, content])).toEqual([
      ['result1', 'Start'],
      ['result1', 'Hello there!'],
    ])
    expect(chat.requests.filter((request) => request.type === 'loadTypebot').map((request) => request.typebotId)).toEqual([
      bot2.typebot.id,
      bot3.typebot.id,
    ])
  })

  it('gives a non-merging link its own result, completed when the flow leaves it', () => {
    const chat = createConversation(bot1MergeDisabled, { typebots: [bot2, bot3] })
    const start = chat.start()
    expect(start.clientSideActions.map((action) => action.type)).toEqual(['setVariable'])
    chat.reply('http://localhost')
    const hello = chat.reply('Hello there!')
    expect(textsOf(hello)).toEqual(['Cheers!', 'test 3', 'end 3'])

    const answer = chat.persisted.answers.find((row) => row.content === 'Hello there!')
    expect(answer?.resultId).toBe('id1')
    expect(chat.persisted.answers.some((row) => row.resultId === 'result1')).toBe(false)
    expect(chat.persisted.results.filter((result) => result.id === 'id1').at(-1)).toMatchObject({
      typebotId: bot2.typebot.id,
      hasStarted: true,
      isCompleted: true,
    })
  })

  it('logs and goes on when the linked typebot cannot be found', () => {
    const chat = createConversation(bot1)
    chat.start()
    const turn = chat.reply('Start')
    expect(textsOf(turn)).toEqual(['First test message', 'End'])
    expect(turn.logs).toEqual([
      { status: 'error', description: 'Failed to link typebot', details: `Typebot with ID ${bot2.typebot.id} not found` },
    ])
    expect(chat.state.typebotsQueue).toHaveLength(1)
  })

  it('runs no linked bot in preview without a result id', () => {
    const chat = createConversation(bot1MergeDisabled, { typebots: [bot2, bot3], isPreview: true })
    chat.start()
    expect(chat.state.typebotsQueue.map((entry) => entry.resultId)).toEqual([undefined, undefined])
    expect(chat.requests).toContainEqual({ type: 'loadTypebot', typebotId: bot2.typebot.id, isPreview: true, workspaceId: 'workspace1' })
  })
})

describe('Typebot link in preview', () => {
  it("asks for the linked typebot on behalf of the preview's user, who is kept in the state", () => {
    const chat = createConversation(bot1, { typebots: [bot2, bot3], isPreview: true })
    chat.start({ previewUserId: 'user-1' })
    chat.reply('Start')
    expect(chat.state.previewUserId).toBe('user-1')
    expect(chat.requests.filter((request) => request.type === 'loadTypebot')).toEqual([
      { type: 'loadTypebot', typebotId: bot2.typebot.id, isPreview: true, workspaceId: 'workspace1', userId: 'user-1' },
    ])
  })

  it('keeps no user in a live session', () => {
    const chat = createConversation(bot1, { typebots: [bot2, bot3] })
    chat.start({ previewUserId: 'user-1' })
    expect(chat.state.previewUserId).toBeUndefined()
  })
})
