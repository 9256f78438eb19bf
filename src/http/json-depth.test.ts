import { describe, expect, it } from 'vitest'
import { exceedsJsonDepth } from './json-depth.js'

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`

describe('exceedsJsonDepth', () => {
  it.each([
    ['64 nested arrays', nested(64), false],
    ['65 nested arrays', nested(65), true],
    ['65 nested objects', `${'{"a":'.repeat(65)}1${'}'.repeat(65)}`, true],
    ['brackets inside a string', JSON.stringify({ text: '['.repeat(200) }), false],
    ['an escaped quote before brackets', JSON.stringify({ text: `\\"${'{'.repeat(200)}` }), false],
    ['70 arrays side by side', '['.concat('[],'.repeat(69), '[]]'), false],
  ])('%s', (_title, text, expected) => {
    expect(exceedsJsonDepth(text, 64)).toBe(expected)
  })
})
