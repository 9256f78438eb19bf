import { describe, expect, it } from 'vitest'
import { stringifyResult } from './client-actions.js'

describe('the text a client-side Set variable sends back', () => {
  it.each([
    ['https://example.com', 'https://example.com'],
    [42, '42'],
    [true, 'true'],
    [['a', 'b'], '["a","b"]'],
    [{ name: 'John' }, '{"name":"John"}'],
    [undefined, ''],
    [null, ''],
  ])('%j -> %j', (value, expected) => {
    expect(stringifyResult(value)).toBe(expected)
  })
})
