import { describe, expect, it } from 'vitest'
import { runPure } from './test-driver.js'
import type { Variable } from './types.js'
import {
  findVariableByName,
  guessValueType,
  normalizeValue,
  type SubstitutionMode,
  substituteDeep,
  substituteVariables,
} from './variables.js'

const variables: Variable[] = [
  { id: 'vEmpty', name: 'Name', value: null },
  { id: 'vName', name: 'Name', value: 'John' },
  { id: 'vList', name: 'List', value: ['a', 'b', null] },
  { id: 'vQuote', name: 'Quote', value: 'say "hi"\n' },
  { id: 'vHtml', name: 'Html', value: '<b>x</b>' },
  { id: 'vAge', name: 'Age', value: '30' },
  { id: 'vUnset', name: 'Unset' },
]

describe('normalizeValue', () => {
  it.each([
    ['undefined', undefined, null],
    ['null', null, null],
    ['a string', 'hello', 'hello'],
    ['the empty string', '', null],
    ['a number', 42, '42'],
    ['NaN', Number.NaN, 'null'],
    ['a boolean', true, 'true'],
    ['an object', { a: 1 }, '{"a":1}'],
    ['a list', ['a', 1, null, { b: true }, ['x']], ['a', '1', null, '{"b":true}', '["x"]']],
    ['a lone backslash', 'C:\\temp\\x', 'C:\\temp\\\\x'],
    ['an escaped backslash', 'a\\\\b', 'a\\\\b'],
    ['a trailing backslash', 'end\\', 'end\\\\'],
    ['an unpaired surrogate', 'a\uD83Db', 'a\uFFFDb'],
    ['a paired surrogate', 'smile \uD83D\uDE00', 'smile \uD83D\uDE00'],
  ])('normalises %s', (_name, input, expected) => {
    expect(normalizeValue(input)).toEqual(expected)
  })
})

describe('substituteVariables', () => {
  it.each<[string, string | undefined, SubstitutionMode, string]>([
    ['uses the first variable that has a value', 'Hi {{Name}}!', 'text', 'Hi John!'],
    ['removes unknown names', 'Hi {{Nobody}}!', 'text', 'Hi !'],
    ['removes unset variables', '[{{Unset}}]', 'text', '[]'],
    ['renders lists as JSON', '{{List}}', 'text', '["a","b",null]'],
    ['keeps the dollar of the template-literal form', 'x = ${{{Name}}}', 'text', 'x = ${John}'],
    ['returns "" for empty input', undefined, 'text', ''],
    ['escapes strings without quotes in JSON mode', '{"q":"{{Quote}}"}', 'json', '{"q":"say \\"hi\\"\\n"}'],
    ['writes lists as arrays in JSON mode', '{"l":{{List}}}', 'json', '{"l":["a","b",null]}'],
    ['leaves raw numbers in JSON mode', '{"age":{{Age}}}', 'json', '{"age":30}'],
    ['escapes angle brackets in HTML mode', '<p>{{Html}}</p>', 'html', '<p>&lt;b&gt;x&lt;/b&gt;</p>'],
    ['uses ids in id mode, valued or not', '{{Name}} {{Unset}} {{Nobody}}', 'id', 'vEmpty vUnset '],
  ])('%s', (_name, text, mode, expected) => {
    expect(runPure(substituteVariables(text, variables, { mode }))).toBe(expected)
  })

  it('keeps only the last list element for pre-v6 text bubbles', () => {
    const list: Variable[] = [{ id: 'l', name: 'List', value: ['a', 'b'] }]
    expect(runPure(substituteVariables('{{List}}', list, { takeLatestIfList: true }))).toBe('b')
  })

  it.each([
    ['evaluates inline code with guessed types', 'Next year: {{={{Age}} + 1=}}', 'Next year: 31'],
    ['keeps an explicit return', '{{=return String({{Age}} * 2)=}}', '60'],
    ['binds the first variable of a name, even an empty one', '{{={{Name}} === null=}}', 'true'],
    ['JSON-encodes non-string results', '{{=[1, 2]=}}', '[1,2]'],
    ['prints undefined literally in plain text', '{{=undefined=}}', 'undefined'],
    ['prints null literally in plain text', '{{=null=}}', 'null'],
    ['falls back to text substitution when the code throws', '{{=throw {{Name}}=}}', 'throw John'],
    ['reads the last list element', '{{={{List}}.at(1)=}}', 'b'],
  ])('%s', (_name, text, expected) => {
    expect(runPure(substituteVariables(text, variables))).toBe(expected)
  })
})

describe('guessValueType', () => {
  it.each([
    [null, null],
    [undefined, undefined],
    [['a'], ['a']],
    ['0612', '0612'],
    ['0.5', 0.5],
    ['0', 0],
    ['+33', '+33'],
    ['true', true],
    ['false', false],
    ['null', null],
    ['undefined', undefined],
    ['12', 12],
    ['', 0],
    ['  ', 0],
    ['hello', 'hello'],
  ])('guesses %j as %j', (value, expected) => {
    expect(guessValueType(value)).toEqual(expected)
  })
})

describe('substituteDeep', () => {
  const payload = { a: '{{Name}}', nested: { list: ['{{Age}}', 3], empty: '{{Unset}}' }, flag: true, code: 'undefined' }

  it('substitutes strings at any depth and copies other values', () => {
    expect(runPure(substituteDeep(payload, variables))).toEqual({
      a: 'John',
      nested: { list: ['30', 3], empty: '' },
      flag: true,
      code: 'undefined',
    })
  })

  it('guesses types and drops empty strings when asked', () => {
    expect(runPure(substituteDeep(payload, variables, { guessTypes: true, removeEmptyStrings: true }))).toEqual({
      a: 'John',
      nested: { list: [30, 3] },
      flag: true,
    })
  })
})

describe('findVariableByName', () => {
  it('prefers the first variable with a value', () => {
    expect(findVariableByName(variables, 'Name')?.id).toBe('vName')
  })

  it('falls back to the first variable with that name', () => {
    expect(findVariableByName(variables, 'Unset')?.id).toBe('vUnset')
    expect(findVariableByName(variables, 'Nobody')).toBeUndefined()
  })
})
