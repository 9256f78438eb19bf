import { describe, expect, it } from 'vitest'
import type { SetVariableBlock } from '../../../../schemas/blocks/logic.js'
import { createBlockContext, createTestEnv, fixedNow, runEffectful } from '../../../test-driver.js'
import type { Variable, VariableValue } from '../../../types.js'
import { formatInTimeZone } from './format-date.js'
import { setVariableHandler } from './index.js'

const baseVariables: Variable[] = [
  { id: 'target', name: 'Target' },
  { id: 'name', name: 'Name', value: 'Ada' },
  { id: 'count', name: 'Count', value: '2' },
  { id: 'list', name: 'List', value: ['a', 'b', 'c'] },
  { id: 'other', name: 'Other', value: ['x', 'y', 'z'] },
  { id: 'item', name: 'Item', value: 'b' },
  { id: 'saved', name: 'Saved' },
  { id: 'zone', name: 'Zone', value: 'Europe/Paris' },
]

function run(options: SetVariableBlock['options'], variables: Variable[] = baseVariables, isPreview = false) {
  const block: SetVariableBlock = { id: 'sv', type: 'Set variable', options }
  const ctx = createBlockContext({
    variables,
    state: isPreview ? { isPreview: true, typebotsQueue: [{ typebotId: 'typebot1', versionId: 'version1', variables, answers: [] }] } : {},
  })
  const { value: result } = runEffectful(setVariableHandler.execute(block, ctx))
  const values = Object.fromEntries((result.state ?? ctx.state).typebotsQueue[0].variables.map((variable) => [variable.id, variable.value]))
  return { result, values }
}

describe('Set variable values computed on the server (§4.11.9)', () => {
  it.each<[string, SetVariableBlock['options'], VariableValue | undefined]>([
    ['a number expression', { variableId: 'target', expressionToEvaluate: '{{Count}} * 21' }, '42'],
    ['a single variable as text', { variableId: 'target', expressionToEvaluate: '{{List}}' }, '["a","b","c"]'],
    ['a leading zero number kept as text', { variableId: 'target', expressionToEvaluate: '0612' }, '0612'],
    ['plain text that is not code', { variableId: 'target', expressionToEvaluate: 'Hello {{Name}}' }, 'Hello Ada'],
    ['an object as JSON', { variableId: 'target', expressionToEvaluate: '{ "a": 1 }' }, '{"a":1}'],
    ['a returned list', { variableId: 'target', expressionToEvaluate: 'return [1, "b"]' }, ['1', 'b']],
    ['no expression: cleared', { variableId: 'target' }, null],
    ['Empty', { variableId: 'name', type: 'Empty' }, null],
    ['Append to nothing', { variableId: 'target', type: 'Append value(s)', item: '{{Name}}' }, ['Ada']],
    ['Append to a value', { variableId: 'name', type: 'Append value(s)', item: 'Bob' }, ['Ada', 'Bob']],
    ['Append to a list', { variableId: 'list', type: 'Append value(s)', item: 'd' }, ['a', 'b', 'c', 'd']],
    ['Environment name', { variableId: 'target', type: 'Environment name' }, 'web'],
    ['Result ID', { variableId: 'target', type: 'Result ID' }, 'result1'],
    ['Now in UTC', { variableId: 'target', type: 'Now' }, new Date(fixedNow).toISOString()],
    ['Now in a zone', { variableId: 'target', type: 'Now', timeZone: '{{Zone}}' }, '2024-06-15T14:00:00+02:00'],
    ['Yesterday', { variableId: 'target', type: 'Yesterday' }, '2024-06-14T12:00:00.000Z'],
    ['Tomorrow in a zone', { variableId: 'target', type: 'Tomorrow', timeZone: 'America/New_York' }, '2024-06-16T08:00:00-04:00'],
    ['Today', { variableId: 'target', type: 'Today' }, '2024-06-15T12:00:00.000Z'],
    ['Random ID', { variableId: 'target', type: 'Random ID' }, 'id1'],
    [
      'Map item with same index',
      {
        variableId: 'target',
        type: 'Map item with same index',
        mapListItemParams: { baseItemVariableId: 'item', baseListVariableId: 'list', targetListVariableId: 'other' },
      },
      'y',
    ],
    [
      'Map item not found',
      {
        variableId: 'name',
        type: 'Map item with same index',
        mapListItemParams: { baseItemVariableId: 'name', baseListVariableId: 'list', targetListVariableId: 'other' },
      },
      null,
    ],
    ['Pop', { variableId: 'list', type: 'Pop' }, ['a', 'b']],
    ['Shift', { variableId: 'list', type: 'Shift' }, ['b', 'c']],
    ['Pop a plain value', { variableId: 'name', type: 'Pop' }, []],
    ['Contact name outside WhatsApp', { variableId: 'name', type: 'Contact name' }, null],
  ])('%s', (_title, options, expected) => {
    const variableId = options?.variableId ?? 'target'
    expect(run(options).values[variableId]).toEqual(expected)
  })

  it('updates the variable in its place and records history for tracked variables', () => {
    const block: SetVariableBlock = { id: 'sv', type: 'Set variable', options: { variableId: 'name', expressionToEvaluate: '"Bob"' } }
    const ctx = createBlockContext({
      variables: baseVariables,
      state: { setVariableIdsForHistory: ['name'], currentSetVariableHistoryIndex: 3 },
    })
    const { value } = runEffectful(setVariableHandler.execute(block, ctx))
    expect(value.state?.typebotsQueue[0].variables.map((variable) => variable.id)).toEqual(baseVariables.map((variable) => variable.id))
    expect(value.state?.typebotsQueue[0].variables[1]).toEqual({ id: 'name', name: 'Name', value: 'Bob' })
    expect(value.setVariableHistory).toEqual([{ blockId: 'sv', variableId: 'name', value: 'Bob', blockIndex: 3, index: 3 }])
    expect(value.state?.currentSetVariableHistoryIndex).toBe(4)
  })

  it('saves the removed item of Pop and Shift', () => {
    expect(run({ variableId: 'list', type: 'Pop', saveItemInVariableId: 'saved' }).values.saved).toBe('c')
    expect(run({ variableId: 'name', type: 'Shift', saveItemInVariableId: 'saved' }).values.saved).toBe('Ada')
  })

  it('uses a fresh id for the result id in preview', () => {
    expect(run({ variableId: 'target', type: 'Result ID' }, baseVariables, true).values.target).toBe('id1')
  })

  it('logs a failing code expression and saves the error when asked', () => {
    const { result, values } = run({
      variableId: 'target',
      expressionToEvaluate: '{{Name}}.shout()',
      isCode: true,
      saveErrorInVariableId: 'saved',
    })
    const description = 'name.shout is not a function'
    expect(result.logs).toEqual([{ status: 'error', context: 'While evaluating set variable expression', description }])
    expect(values.saved).toBe(description)
    expect(values.target).toBe('Ada.shout()')
    // Without isCode the same failure is silent.
    expect(run({ variableId: 'target', expressionToEvaluate: '{{Name}}.shout()' }).result.logs).toBeUndefined()
  })

  it('does nothing without a known target variable', () => {
    expect(run({ variableId: 'missing', expressionToEvaluate: '1' }).result).toEqual({})
    expect(run({ expressionToEvaluate: '1' }).result).toEqual({})
  })
})

describe('Set variable evaluated by the client', () => {
  it('asks with a blocking action, then stores the parsed reply', () => {
    const block: SetVariableBlock = {
      id: 'sv',
      type: 'Set variable',
      options: { variableId: 'target', isExecutedOnClient: true, isCode: true, expressionToEvaluate: '{{Name}}.length + {{Count}}' },
    }
    const ctx = createBlockContext({ variables: baseVariables })
    const { value } = runEffectful(setVariableHandler.execute(block, ctx))
    expect(value.clientSideActions).toEqual([
      {
        type: 'setVariable',
        setVariable: {
          scriptToExecute: {
            content: 'name.length + count',
            args: [
              { id: 'name', value: 'Ada' },
              { id: 'count', value: 2 },
            ],
            isCode: true,
          },
        },
        expectsDedicatedReply: true,
      },
    ])
    const resume = setVariableHandler.resume
    if (!resume) throw new Error('resume expected')
    const stored = (text: string) =>
      runEffectful(resume(block, text, ctx)).value.state?.typebotsQueue[0].variables.find((v) => v.id === 'target')?.value
    expect(stored('5')).toBe('5')
    expect(stored('["a",1]')).toEqual(['a', '1'])
    expect(stored('not json')).toBe('not json')
    expect(stored('')).toBeNull()
  })

  it.each(['Device type', 'Moment of the day'])('computes %s on the client', (type) => {
    const { result } = run({ variableId: 'target', type })
    expect(result.clientSideActions?.[0]).toMatchObject({
      type: 'setVariable',
      expectsDedicatedReply: true,
      setVariable: { scriptToExecute: { isCode: false, args: [] } },
    })
  })
})

describe('formatInTimeZone', () => {
  it.each([
    [undefined, '2024-06-15T12:00:00.000Z'],
    ['UTC', '2024-06-15T12:00:00Z'],
    ['Asia/Kolkata', '2024-06-15T17:30:00+05:30'],
    ['Not/AZone', '2024-06-15T12:00:00.000Z'],
  ])('formats in %s', (zone, expected) => {
    expect(formatInTimeZone(fixedNow, zone)).toBe(expected)
  })
})

it('uses the injected environment for random ids', () => {
  const env = createTestEnv()
  env.newId()
  const block: SetVariableBlock = { id: 'sv', type: 'Set variable', options: { variableId: 'target', type: 'Random ID' } }
  const ctx = createBlockContext({ variables: baseVariables, env })
  expect(runEffectful(setVariableHandler.execute(block, ctx)).value.state?.typebotsQueue[0].variables[0]).toEqual({
    id: 'target',
    name: 'Target',
    value: 'id2',
  })
})
