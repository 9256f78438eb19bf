import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { emailInputBlockSchema, type InputBlock } from '../../../schemas/blocks/inputs.js'
import type { InputHandler } from '../../block-handler.js'
import type { Variable } from '../../types.js'
import { inputHandlers } from './index.js'
import { createTestContext, run } from './test-context.js'

// The registry hands each handler its own block type; the tables below mix them.
const handlerOf = (type: InputBlock['type']) => inputHandlers[type] as InputHandler<InputBlock>

const variables: Variable[] = [
  { id: 'vText', name: 'Answer', value: 'one' },
  { id: 'vList', name: 'List', value: ['a', 'b'] },
  { id: 'vEmpty', name: 'Empty', value: null },
  { id: 'vName', name: 'Name', value: 'Ada' },
]
const ctx = createTestContext({ variables })

describe('prefilledValue', () => {
  const prefillable: InputBlock['type'][] = [
    'text input',
    'email input',
    'url input',
    'phone number input',
    'time input',
    'payment input',
    'file input',
    'number input',
    'date input',
    'rating input',
  ]
  it.each(prefillable)('%s carries the value of its variable', (type) => {
    const block = { id: 'b', type, options: { variableId: 'vText' } } as InputBlock
    expect(run(handlerOf(type).toChatInput(block, ctx)).prefilledValue).toBe('one')
  })

  it.each(['vList', 'vEmpty', 'vMissing'])('is absent for variable %s', (variableId) => {
    const block: InputBlock = { id: 'b', type: 'text input', options: { variableId } }
    expect(run(handlerOf('text input').toChatInput(block, ctx))).not.toHaveProperty('prefilledValue')
  })

  it.each<InputBlock>([
    { id: 'b', type: 'choice input', items: [{ id: 'i', content: 'x' }], options: { variableId: 'vText' } },
    { id: 'b', type: 'picture choice input', items: [{ id: 'i', title: 'x' }], options: { variableId: 'vText' } },
    { id: 'b', type: 'cards', items: [{ id: 'i', title: 'x' }], options: { variableId: 'vText' } },
  ])('is never added to $type', (block) => {
    expect(run(handlerOf(block.type).toChatInput(block, ctx))).not.toHaveProperty('prefilledValue')
  })
})

describe('toChatInput', () => {
  it('sends a block stored without options as { id, type }', () => {
    expect(run(handlerOf('text input').toChatInput({ id: 'b', type: 'text input' }, ctx))).toEqual({ id: 'b', type: 'text input' })
  })

  it('keeps the outgoing edge and substitutes options', () => {
    const block: InputBlock = {
      id: 'b',
      type: 'number input',
      outgoingEdgeId: 'e1',
      options: { variableId: 'vX', labels: { placeholder: 'Age of {{Name}}?' }, min: '{{Answer}}' },
    }
    expect(run(handlerOf('number input').toChatInput(block, ctx))).toEqual({
      id: 'b',
      type: 'number input',
      outgoingEdgeId: 'e1',
      options: { variableId: 'vX', labels: { placeholder: 'Age of Ada?' }, min: 'one' },
    })
  })

  it('drops the groupId of a v4 block (predefinedVariables.json)', () => {
    const fixture = JSON.parse(
      readFileSync(new URL('../../../../test/fixtures/reference/typebots/predefinedVariables.json', import.meta.url), 'utf8'),
    ) as { groups: { blocks: Record<string, unknown>[] }[]; variables: Variable[] }
    const stored = fixture.groups.flatMap((group) => group.blocks).find((block) => block.type === 'email input')
    expect(stored).toHaveProperty('groupId')
    const context = createTestContext({
      version: '4',
      variables: fixture.variables.map((variable) => (variable.name === 'Email' ? { ...variable, value: 'email@test.com' } : variable)),
    })
    // Unparsed on purpose: even a block that skipped the schema must not leak legacy fields.
    const input = run(inputHandlers['email input'].toChatInput(stored as never, context))
    expect(input).not.toHaveProperty('groupId')
    expect(input).toEqual({ ...emailInputBlockSchema.parse(stored), prefilledValue: 'email@test.com' })
  })

  it('sends a payment input without runtimeOptions', () => {
    const block: InputBlock = { id: 'pay', type: 'payment input', options: { credentialsId: 'stripe', amount: '10' } }
    expect(run(handlerOf('payment input').toChatInput(block, ctx))).toEqual({
      id: 'pay',
      type: 'payment input',
      options: { credentialsId: 'stripe', amount: '10' },
    })
  })
})

describe('retryMessage', () => {
  const withInvalidMessage = createTestContext({
    variables,
    settings: { general: { systemMessages: { invalidMessage: 'Sorry {{Name}}, try again' } } },
  })
  it.each<[string, InputBlock, string, string]>([
    [
      'uses a custom retry text with variables',
      { id: 'b', type: 'email input', options: { retryMessageContent: 'Bad email, {{Name}}' } },
      'Bad email, Ada',
      'Bad email, Ada',
    ],
    [
      'has a default for email',
      { id: 'b', type: 'email input' },
      "This email doesn't seem to be valid. Can you type it again?",
      "This email doesn't seem to be valid. Can you type it again?",
    ],
    [
      'has a default for payment',
      { id: 'b', type: 'payment input' },
      'Payment failed. Please, try again.',
      'Payment failed. Please, try again.',
    ],
    [
      'uses the generic text for a URL without custom text',
      { id: 'b', type: 'url input' },
      'Invalid message. Please, try again.',
      'Sorry Ada, try again',
    ],
    [
      'uses the generic text for a phone without custom text',
      { id: 'b', type: 'phone number input', options: {} },
      'Invalid message. Please, try again.',
      'Sorry Ada, try again',
    ],
    [
      'uses the generic text for other inputs',
      { id: 'b', type: 'number input' },
      'Invalid message. Please, try again.',
      'Sorry Ada, try again',
    ],
  ])('%s', (_name, block, expected, expectedWithSystemMessage) => {
    expect(run(handlerOf(block.type).retryMessage(block, ctx))).toBe(expected)
    expect(run(handlerOf(block.type).retryMessage(block, withInvalidMessage))).toBe(expectedWithSystemMessage)
  })
})

describe('shortType', () => {
  it('names each input as reply events record it', () => {
    expect(Object.fromEntries(Object.entries(inputHandlers).map(([type, handler]) => [type, handler.shortType]))).toEqual({
      'text input': 'text',
      'number input': 'number',
      'email input': 'email',
      'url input': 'url',
      'date input': 'date',
      'time input': 'time',
      'phone number input': 'phone',
      'choice input': 'buttons',
      'picture choice input': 'picture choice',
      'payment input': 'payment',
      'rating input': 'rating',
      'file input': 'file',
      cards: 'cards',
    })
  })
})
