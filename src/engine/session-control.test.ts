import { describe, expect, it } from 'vitest'
import { reaskWaitingInput } from './reask-input.js'
import { setSessionVariables } from './set-session-variables.js'
import { createConversation, createTestEnv, loadTypebotDocument, runPure, textOf } from './test-driver.js'

const bot = loadTypebotDocument({
  version: '6.1',
  id: 'support',
  name: 'Support',
  events: [{ id: 'start', type: 'start', graphCoordinates: { x: 0, y: 0 }, outgoingEdgeId: 'e-start' }],
  groups: [
    {
      id: 'g-ask',
      title: 'Ask',
      graphCoordinates: { x: 0, y: 0 },
      blocks: [
        { id: 't-hi', type: 'text', content: { richText: [{ type: 'p', children: [{ text: 'Hello {{Name}}' }] }] } },
        { id: 'set', type: 'Set variable', options: { variableId: 'v-plan', expressionToEvaluate: 'free', isCode: false } },
        { id: 't-plan', type: 'text', content: { richText: [{ type: 'p', children: [{ text: 'Your plan: {{Plan}}' }] }] } },
        { id: 'i-name', type: 'text input', options: { variableId: 'v-name' } },
      ],
    },
  ],
  edges: [{ id: 'e-start', from: { eventId: 'start' }, to: { groupId: 'g-ask' } }],
  variables: [
    { id: 'v-name', name: 'Name' },
    { id: 'v-plan', name: 'Plan' },
  ],
})

describe('reaskWaitingInput', () => {
  it('renders the bubbles right before the waiting input, with the current values, and the input; nothing runs', () => {
    const conversation = createConversation(bot)
    conversation.start()
    const updated = setSessionVariables(conversation.state, [{ name: 'Plan', value: 'gold' }])
    if (updated.status !== 'ok') throw new Error('unknown variable')
    const options = { typebots: new Map([[bot.versionId, bot.typebot]]), textBubbleContentFormat: 'richText' as const }
    const reask = runPure(reaskWaitingInput(updated.state, options, createTestEnv()))
    // The Set variable block between the two bubbles is where the re-ask stops looking back.
    expect(reask.messages.map(textOf)).toEqual(['Your plan: gold'])
    expect(reask.input).toMatchObject({ id: 'i-name', type: 'text input' })
  })

  it('has nothing to ask when the session does not wait on an input', () => {
    const conversation = createConversation(bot)
    conversation.start()
    const options = { typebots: new Map([[bot.versionId, bot.typebot]]), textBubbleContentFormat: 'richText' as const }
    const { currentBlockId: _done, ...ended } = conversation.state
    expect(runPure(reaskWaitingInput(ended, options, createTestEnv()))).toEqual({ messages: [] })
  })
})

describe('setSessionVariables', () => {
  it('stores values as text, records history on the waiting block for variables a bubble shows, and upserts the result', () => {
    const conversation = createConversation(bot)
    conversation.start()
    const outcome = setSessionVariables(conversation.state, [
      { name: 'Plan', value: 42 },
      { id: 'v-name', value: 'Ada' },
    ])
    if (outcome.status !== 'ok') throw new Error('unknown variable')
    const variables = outcome.state.typebotsQueue[0].variables
    expect(variables.find((variable) => variable.name === 'Plan')?.value).toBe('42')
    expect(variables.find((variable) => variable.name === 'Name')?.value).toBe('Ada')
    expect(outcome.records.setVariableHistory.map((item) => [item.blockId, item.variableId, item.value])).toEqual([
      ['i-name', 'v-plan', '42'],
      ['i-name', 'v-name', 'Ada'],
    ])
    expect(outcome.records.results).toEqual([expect.objectContaining({ id: 'result1', hasStarted: false, isCompleted: false })])
  })

  it('names every unknown variable and changes nothing', () => {
    const conversation = createConversation(bot)
    conversation.start()
    const outcome = setSessionVariables(conversation.state, [
      { name: 'Plan', value: 'x' },
      { name: 'Colour', value: 'red' },
      { id: 'v-nope', value: 1 },
    ])
    expect(outcome).toEqual({
      status: 'unknown',
      unknown: [
        { name: 'Colour', value: 'red' },
        { id: 'v-nope', value: 1 },
      ],
    })
  })
})
