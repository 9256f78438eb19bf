import { describe, expect, it } from 'vitest'
import { computeTypingDelayMs, countWords, maxTypingDelayMs } from './typing-delay.js'

const text = (wordCount: number) => ({ wordCount, isMedia: false })
const later = { isFirstOfChat: false, isFirstOfTurn: true }

describe('typing delay', () => {
  it.each([
    ['defaults: 400 words per minute', text(4), {}, later, 600],
    ['the flow speed', text(4), { typingEmulation: { speed: 300 } }, later, 800],
    ['capped by maxDelay', text(100), { typingEmulation: { maxDelay: 1 } }, later, 1000],
    ['capped for readers whatever the flow says', text(100), { typingEmulation: { maxDelay: 10 } }, later, maxTypingDelayMs],
    ['off when typing emulation is disabled', text(10), { typingEmulation: { enabled: false } }, later, 0],
    ['off when the general switch is off', text(10), { isGeneralTypingEnabled: false }, later, 0],
    ['none on the first message by default', text(10), {}, { isFirstOfChat: true, isFirstOfTurn: true }, 0],
    [
      'on the first message when asked',
      text(4),
      { typingEmulation: { isDisabledOnFirstMessage: false } },
      { isFirstOfChat: true, isFirstOfTurn: true },
      600,
    ],
    [
      'a pause between bubbles of a turn',
      text(4),
      { typingEmulation: { delayBetweenBubbles: 1 } },
      { isFirstOfChat: false, isFirstOfTurn: false },
      1600,
    ],
    ['a short, fixed wait for media', { wordCount: 0, isMedia: true }, {}, later, 500],
  ])('%s', (_title, bubble, settings, position, expected) => {
    expect(computeTypingDelayMs(bubble, settings, position)).toBe(expected)
  })

  it.each([
    ['Hi there! 👋', 2],
    ["Welcome. What's your name?", 4],
    ['  ', 0],
    ['42 — ok', 2],
  ])('counts the words of %j as %i', (value, expected) => {
    expect(countWords(value)).toBe(expected)
  })
})
