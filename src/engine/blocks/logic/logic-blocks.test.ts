import { describe, expect, it } from 'vitest'
import type {
  AbTestBlock,
  ConditionBlock,
  JumpBlock,
  RedirectBlock,
  ScriptBlock,
  TypebotLinkBlock,
  WaitBlock,
  WebhookListenerBlock,
} from '../../../schemas/blocks/logic.js'
import { createBlockContext, createTestEnv, loadFixture, runEffectful } from '../../test-driver.js'
import type { Group, LoadedTypebot, SessionState, Variable } from '../../types.js'
import { abTestHandler } from './ab-test.js'
import { conditionHandler } from './condition.js'
import { jumpHandler } from './jump.js'
import { redirectHandler } from './redirect.js'
import { returnHandler } from './return.js'
import { scriptHandler } from './script.js'
import { typebotLinkHandler } from './typebot-link.js'
import { waitHandler } from './wait.js'
import { webhookListenerHandler } from './webhook-listener.js'

const variables: Variable[] = [
  { id: 'name', name: 'Name', value: 'Ada' },
  { id: 'age', name: 'Age', value: '30' },
  { id: 'target', name: 'Target Group', value: 'Second' },
]

const groups: Group[] = [
  {
    id: 'g1',
    title: 'First',
    blocks: [
      { id: 'jump', type: 'Jump', options: { groupId: 'g2' } },
      { id: 'after-jump', type: 'Return' },
    ],
  },
  {
    id: 'g2',
    title: 'Second',
    blocks: [
      { id: 'b2', type: 'Return' },
      { id: 'b3', type: 'Return' },
    ],
  },
]

const ctxWith = (state: Partial<SessionState> = {}, random?: number[]) =>
  createBlockContext({ variables, typebot: { groups }, state, env: createTestEnv({ random }) })

describe('Condition', () => {
  const block: ConditionBlock = {
    id: 'cond',
    type: 'Condition',
    outgoingEdgeId: 'else',
    items: [
      {
        id: 'i1',
        outgoingEdgeId: 'young',
        content: { comparisons: [{ variableId: 'age', comparisonOperator: 'Less than', value: '18' }] },
      },
      { id: 'i2', content: { comparisons: [{ variableId: 'age', comparisonOperator: 'Greater than', value: '20' }] } },
    ],
  }

  it('stops on a matching item without an edge, follows a matching edge, else falls through', () => {
    expect(runEffectful(conditionHandler.execute(block, ctxWith())).value).toEqual({ outgoingEdgeId: null, isOffDefaultPath: true })
    const young = createBlockContext({ variables: [{ id: 'age', name: 'Age', value: '12' }] })
    expect(runEffectful(conditionHandler.execute(block, young)).value).toEqual({ outgoingEdgeId: 'young', isOffDefaultPath: true })
    const none = createBlockContext({ variables: [{ id: 'age', name: 'Age', value: '19' }] })
    expect(runEffectful(conditionHandler.execute(block, none)).value).toEqual({})
  })
})

describe('Jump', () => {
  it('jumps by id and marks the next block for Return', () => {
    const block = groups[0]!.blocks[0] as JumpBlock
    const { value } = runEffectful(jumpHandler.execute(block, ctxWith()))
    expect(value.outgoingEdgeId).toBe('virtual-g2')
    expect(value.state?.returnMark).toEqual({ status: 'pending', blockId: 'after-jump' })
    expect(value.state?.typebotsQueue[0].virtualEdges).toEqual([{ id: 'virtual-g2', from: { blockId: '' }, to: { groupId: 'g2' } }])
  })

  it('jumps by title through a variable, to a given block', () => {
    const block: JumpBlock = { id: 'jump', type: 'Jump', options: { groupId: '{{Target Group}}', blockId: 'b3' } }
    const { value } = runEffectful(jumpHandler.execute(block, ctxWith()))
    expect(value.outgoingEdgeId).toBe('virtual-g2-b3')
  })

  it.each<[string, JumpBlock['options'], string]>([
    ['an unknown group', { groupId: 'nope' }, 'Group to jump to is not found'],
    ['an unknown block', { groupId: 'g2', blockId: 'nope' }, 'Block to jump to is not found'],
  ])('stops with a log for %s', (_title, options, description) => {
    const { value } = runEffectful(jumpHandler.execute({ id: 'jump', type: 'Jump', options }, ctxWith()))
    expect(value).toMatchObject({
      outgoingEdgeId: null,
      logs: [{ status: 'error', context: 'Error while executing Jump block', description }],
    })
  })

  it('does nothing without a group', () => {
    expect(runEffectful(jumpHandler.execute({ id: 'jump', type: 'Jump' }, ctxWith())).value).toEqual({})
  })
})

describe('Return', () => {
  it('follows the mark and clears it, or marks it called when a reply waits', () => {
    const plain = runEffectful(
      returnHandler.execute({ id: 'r', type: 'Return' }, ctxWith({ returnMark: { status: 'pending', blockId: 'b3' } })),
    ).value
    expect(plain).toMatchObject({ outgoingEdgeId: 'virtual-g2-b3', isOffDefaultPath: true })
    expect(plain.state?.returnMark).toBeUndefined()
    const message = { type: 'text' as const, text: 'hi' }
    const auto = runEffectful(
      returnHandler.execute(
        { id: 'r', type: 'Return' },
        ctxWith({ returnMark: { status: 'pending', blockId: 'b3', autoResumeMessage: message } }),
      ),
    ).value
    expect(auto.state?.returnMark).toEqual({ status: 'called', blockId: 'b3', autoResumeMessage: message })
    expect(runEffectful(returnHandler.execute({ id: 'r', type: 'Return' }, ctxWith())).value).toEqual({})
  })
})

describe('AB test', () => {
  const block: AbTestBlock = {
    id: 'ab',
    type: 'AB test',
    options: { aPercent: 30 },
    items: [
      { id: 'a', path: 'a', outgoingEdgeId: 'edge-a' },
      { id: 'b', path: 'b', outgoingEdgeId: 'edge-b' },
    ],
  }

  it.each([
    [0.29, 'edge-a'],
    [0.3, 'edge-b'],
  ])('draw %s goes to %s', (draw, edge) => {
    expect(runEffectful(abTestHandler.execute(block, ctxWith({}, [draw]))).value).toEqual({ outgoingEdgeId: edge, isOffDefaultPath: true })
  })

  it('falls through when the chosen paths are not connected', () => {
    const unconnected: AbTestBlock = {
      ...block,
      items: [
        { id: 'a', path: 'a' },
        { id: 'b', path: 'b' },
      ],
    }
    expect(runEffectful(abTestHandler.execute(unconnected, ctxWith({}, [0.1]))).value).toEqual({})
  })
})

describe('Redirect and Wait', () => {
  it.each([
    ['google.com', 'https://google.com'],
    ['http://a.example/{{Name}}', 'http://a.example/Ada'],
    ['mailto:a@b.c', 'mailto:a@b.c'],
  ])('redirects %s to %s', (url, expected) => {
    const block: RedirectBlock = { id: 'r', type: 'Redirect', options: { url, isNewTab: true } }
    expect(runEffectful(redirectHandler.execute(block, ctxWith())).value.clientSideActions).toEqual([
      { type: 'redirect', redirect: { url: expected, isNewTab: true } },
    ])
  })

  it.each<[WaitBlock['options'], unknown]>([
    [{ secondsToWaitFor: '{{Age}}' }, [{ type: 'wait', wait: { secondsToWaitFor: 30 } }]],
    [{ secondsToWaitFor: '0' }, undefined],
    [{ secondsToWaitFor: '0', shouldPause: true }, [{ type: 'wait', wait: { secondsToWaitFor: 0 }, expectsDedicatedReply: true }]],
    [{ secondsToWaitFor: 'soon' }, undefined],
    [{}, undefined],
  ])('waits for %j', (options, expected) => {
    expect(runEffectful(waitHandler.execute({ id: 'w', type: 'Wait', options }, ctxWith())).value.clientSideActions).toEqual(expected)
  })
})

describe('Code', () => {
  it('hands client scripts over with variable ids and guessed values', () => {
    const block: ScriptBlock = { id: 's', type: 'Code', options: { content: 'console.log({{Name}}, {{Age}}, {{Name}})' } }
    expect(runEffectful(scriptHandler.execute(block, ctxWith())).value.clientSideActions).toEqual([
      {
        type: 'scriptToExecute',
        scriptToExecute: {
          content: 'console.log(name, age, name)',
          args: [
            { id: 'name', value: 'Ada' },
            { id: 'age', value: 30 },
          ],
        },
      },
    ])
  })

  it('runs server scripts through the shell with the variables they mention, and applies the ones they set', () => {
    const block: ScriptBlock = {
      id: 's',
      type: 'Code',
      options: { content: 'setVariable("Name", {{Age}} + 1)', isExecutedOnClient: false },
    }
    const { value, requests } = runEffectful(scriptHandler.execute(block, ctxWith()), () => ({
      type: 'runServerScript',
      ok: false,
      variablesToSet: [
        { name: 'Name', value: 31 },
        { name: 'Unknown', value: 1 },
      ],
      error: '[Error] later failure',
    }))
    expect(requests).toEqual([
      {
        type: 'runServerScript',
        content: 'setVariable("Name", age + 1)',
        variables: [{ id: 'age', name: 'Age', value: 30 }],
      },
    ])
    expect(value.state?.typebotsQueue[0].variables.find((variable) => variable.id === 'name')?.value).toBe('31')
    expect(value.logs).toEqual([{ status: 'error', context: 'While executing function', description: '[Error] later failure' }])
  })
})

describe('webhook (wait until called)', () => {
  const block: WebhookListenerBlock = {
    id: 'w',
    type: 'webhook',
    options: {
      responseVariableMapping: [
        { id: 'm', variableId: 'name', bodyPath: 'data.name' },
        { id: 'm2', variableId: 'age', bodyPath: 'statusCode' },
      ],
    },
  }

  it('maps the relayed payload, or plain text as data', () => {
    const resume = webhookListenerHandler.resume
    if (!resume) throw new Error('resume expected')
    const mapped = runEffectful(resume(block, '{"data":{"name":"Bob"}}', ctxWith())).value.state?.typebotsQueue[0].variables
    expect(mapped?.find((variable) => variable.id === 'name')?.value).toBe('Bob')
    const text = runEffectful(resume(block, 'hello', ctxWith())).value.state?.typebotsQueue[0].variables
    expect(text?.find((variable) => variable.id === 'age')?.value).toBe('200')
  })
})

describe('Typebot link', () => {
  const linked = loadFixture('chat/linkedBot.json', {
    variables: [
      { id: 'l-name', name: 'Name', value: 'initial' },
      { id: 'l-new', name: 'Fresh', value: 'dropped' },
    ],
  })
  const respondWith = (loaded: LoadedTypebot | undefined) => () => ({ type: 'loadTypebot' as const, loaded })

  it('inherits values by name from the queue and drops the linked bot own values', () => {
    const block: TypebotLinkBlock = { id: 'link', type: 'Typebot link', options: { typebotId: linked.typebot.id } }
    const { value } = runEffectful(typebotLinkHandler.execute(block, ctxWith()), respondWith(linked))
    const entry = value.state?.typebotsQueue[0]
    expect(entry?.variables).toEqual([
      { id: 'l-name', name: 'Name', value: 'Ada' },
      { id: 'l-new', name: 'Fresh' },
    ])
    expect(entry).toMatchObject({ resultId: 'id1', isMergingWithParent: false, answers: [], queuedEdgeIds: [] })
    expect(value).toMatchObject({ outgoingEdgeId: 'virtual-clauupd6q00183b6qcm8qbz62', isOffDefaultPath: true, loadedTypebots: [linked] })
  })

  it.each<[string, TypebotLinkBlock['options'], LoadedTypebot | undefined, string]>([
    ['no typebot id', {}, linked, 'Typebot ID is not specified'],
    ['an unknown typebot', { typebotId: 'nope' }, undefined, 'Typebot with ID nope not found'],
    ['an unknown group', { typebotId: linked.typebot.id, groupId: 'nope' }, linked, 'Group with ID "nope" not found'],
  ])('logs and pushes nothing for %s', (_title, options, loaded, details) => {
    const { value } = runEffectful(
      typebotLinkHandler.execute({ id: 'link', type: 'Typebot link', options }, ctxWith()),
      respondWith(loaded),
    )
    expect(value).toEqual({ logs: [{ status: 'error', description: 'Failed to link typebot', details }] })
  })
})
