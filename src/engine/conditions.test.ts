import { describe, expect, it } from 'vitest'
import { type Comparison, evaluateCondition } from './conditions.js'
import { runPure } from './test-driver.js'
import type { ChatLog, Variable, VariableValue } from './types.js'

function check(left: VariableValue | undefined, comparisonOperator: string, value?: string, extra: Variable[] = []): boolean {
  const variables: Variable[] = [{ id: 'left', name: 'Left', ...(left === undefined ? {} : { value: left }) }, ...extra]
  return runPure(evaluateCondition({ comparisons: [{ id: 'c', variableId: 'left', comparisonOperator, value }] }, variables))
}

describe('evaluateCondition operators (§4.12)', () => {
  it.each<[VariableValue | undefined, string, string | undefined, boolean]>([
    ['abc', 'Equal to', 'abc', true],
    ['abc', 'Equal to', 'ABC', false],
    ['é', 'Equal to', 'e\u0301', true],
    [null, 'Equal to', 'null', true],
    [undefined, 'Equal to', 'x', false],
    ['abc', 'Not equal', 'abd', true],
    ['abc', 'Not equal', 'abc', false],
    ['Hello World', 'Contains', ' world ', true],
    ['Hello', 'Contains', '', false],
    [null, 'Contains', 'a', false],
    ['Hello', 'Does not contain', 'xyz', true],
    ['Hello', 'Does not contain', 'ELL', false],
    ['Hello', 'Does not contain', '', true],
    [null, 'Does not contain', 'a', true],
    ['21', 'Greater than', '20', true],
    ['9', 'Greater than', '10', false],
    ['+33', 'Greater than', '4', true],
    ['2024-02-01', 'Greater than', '2024-01-31', true],
    ['abcd', 'Less than', 'abcde', true],
    ['20', 'Greater or equal to', '20', true],
    ['20', 'Less or equal to', '19', false],
    [null, 'Greater than', '1', false],
    ['x', 'Is set', undefined, true],
    [null, 'Is set', undefined, false],
    [[], 'Is set', undefined, false],
    [undefined, 'Is empty', undefined, true],
    [['a'], 'Is empty', undefined, false],
    ['  Hello', 'Starts with', 'he', true],
    ['Hello', 'Starts with', '', false],
    ['Hello ', 'Ends with', 'LO', true],
    ['abc123', 'Matches regex', '^[a-z]+\\d+$', true],
    ['ABC', 'Matches regex', '/^abc$/i', true],
    ['abc', 'Matches regex', '([', false],
    ['abc', 'Does not match regex', '^\\d+$', true],
    ['abc', 'Does not match regex', '/^ABC$/i', false],
    ['', 'Does not match regex', 'x', false],
    ['abc', 'Unknown operator', 'abc', false],
  ])('%j %s %j is %s', (left, operator, value, expected) => {
    expect(check(left, operator, value)).toBe(expected)
  })
})

describe('evaluateCondition with lists', () => {
  it.each<[VariableValue, string, string, boolean]>([
    [['a', 'b'], 'Contains', 'b', true],
    [['a', 'b'], 'Contains', 'B', false],
    [['a', 'b'], 'Does not contain', 'c', true],
    [['a', 'b'], 'Does not contain', 'a', false],
    [['a', 'a'], 'Equal to', 'a', true],
    [['a', 'b'], 'Equal to', 'a', false],
    [['ab', 'ac'], 'Starts with', 'a', true],
    [['a1', 'b'], 'Matches regex', '\\d', true],
    [['a', 'b', 'c'], 'Greater than', '2', true],
    [['a'], 'Less than', '2', true],
  ])('%j %s %j is %s', (left, operator, value, expected) => {
    expect(check(left, operator, value)).toBe(expected)
  })

  it('compares with the raw list of a `{{X}}` value', () => {
    const list: Variable = { id: 'list', name: 'List', value: ['x', 'y'] }
    expect(check('y', 'Equal to', '{{List}}', [list])).toBe(false)
    expect(check('z', 'Not equal', '{{List}}', [list])).toBe(true)
    expect(check(['1', '2', '3'], 'Greater than', '{{List}}', [list])).toBe(true)
  })

  it('substitutes variables inside the compared value', () => {
    const name: Variable = { id: 'name', name: 'Name', value: 'Ada' }
    expect(check('Hello Ada', 'Equal to', 'Hello {{Name}}', [name])).toBe(true)
    expect(check('Hello ', 'Equal to', 'Hello {{Missing}}', [name])).toBe(true)
  })
})

describe('evaluateCondition combinations', () => {
  const variables: Variable[] = [{ id: 'age', name: 'Age', value: '30' }]
  const over20: Comparison = { variableId: 'age', comparisonOperator: 'Greater than', value: '20' }
  const under10: Comparison = { variableId: 'age', comparisonOperator: 'Less than', value: '10' }

  it.each<[string, Parameters<typeof evaluateCondition>[0], boolean]>([
    ['no comparisons', { comparisons: [] }, false],
    ['no condition', undefined, false],
    ['AND by default', { comparisons: [over20, under10] }, false],
    ['OR', { logicalOperator: 'OR', comparisons: [over20, under10] }, true],
    ['a comparison without variable', { comparisons: [{ comparisonOperator: 'Is empty' }] }, false],
    ['a comparison without operator', { comparisons: [{ variableId: 'age' }] }, false],
  ])('%s', (_title, condition, expected) => {
    expect(runPure(evaluateCondition(condition, variables))).toBe(expected)
  })

  it('reports an invalid regular expression instead of failing', () => {
    const logs: ChatLog[] = []
    const result = runPure(
      evaluateCondition(
        { comparisons: [{ variableId: 'age', comparisonOperator: 'Does not match regex', value: '([' }] },
        variables,
        (log) => logs.push(log),
      ),
    )
    expect(result).toBe(false)
    expect(logs).toEqual([{ status: 'error', description: 'Invalid regular expression in condition', details: '([' }])
  })
})
