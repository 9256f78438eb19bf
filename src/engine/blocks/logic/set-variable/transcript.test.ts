import { describe, expect, it } from 'vitest'
import { createConversation, loadFixture, textsOf } from '../../../test-driver.js'

const expectedTranscript = [
  'Assistant: "Let me think..."',
  'Assistant: "How are you? You said "',
  'User: "hey"',
  'Assistant: "Let me think..."',
  'Assistant: "How are you? You said hey"',
  'User: "hey 2"',
  'Assistant: "Let me think..."',
  'Assistant: "How are you? You said hey 2"',
  'User: "hey 3"',
].join('\n\n')

describe('Transcript (transcript.json)', () => {
  const bot = loadFixture('transcript.json')

  it.each([
    ['live', false],
    ['preview', true],
  ])('replays the conversation through Jump, Return and the Condition loop (%s)', (_mode, isPreview) => {
    const chat = createConversation(bot, { isPreview })
    expect(textsOf(chat.start())).toEqual(['Let me think...', 'How are you? You said '])
    expect(textsOf(chat.reply('hey'))).toEqual(['Let me think...', 'How are you? You said hey'])
    chat.reply('hey 2')
    const last = chat.reply('hey 3')
    expect(last.messages).toHaveLength(1)
    expect(last.messages[0]!.content).toMatchObject({ type: 'richText' })
    expect(chat.state.typebotsQueue[0].variables.find((variable) => variable.name === 'Transcript')).toMatchObject({
      value: expectedTranscript,
      isSessionVariable: true,
    })
    expect(chat.requests.filter((request) => request.type === 'loadHistory')).toHaveLength(isPreview ? 0 : 1)
  })
})

describe('Transcript recomputed in a loop (transcript-2.json)', () => {
  const bot = loadFixture('transcript-2.json')

  it('includes the previous transcript bubble and the new answer', () => {
    const chat = createConversation(bot)
    const start = chat.start({ textBubbleContentFormat: 'markdown' })
    expect(textsOf(start)).toEqual(['Hi there 👋', 'How can I help?', 'Assistant: "Hi there 👋"\n\nAssistant: "How can I help?"'])

    const next = chat.reply('Hey', 'markdown')
    const transcript = textsOf(next)[1]!
    expect(textsOf(next)[0]).toBe('Test')
    expect(transcript.startsWith('Assistant: "Hi there 👋"\n\nAssistant: "How can I help?"\n\nAssistant: "Assistant: "Hi')).toBe(true)
    expect(transcript.endsWith('User: "Hey"\n\nAssistant: "Test"')).toBe(true)
  })
})
