/**
 * The typebots the benchmark loads, written as Typebot 6.1 exports. The loop flow has 3 groups:
 * Welcome -> Ask (text input) -> Echo -> back to Ask, so every continueChat answers and re-asks.
 * The large flow is the same loop plus a generated tour of steps (~250 KB of JSON in all).
 */

type Block = Record<string, unknown> & { id: string; type: string }
type Group = { id: string; title: string; graphCoordinates: { x: number; y: number }; blocks: Block[] }
type Edge = { id: string; from: Record<string, string>; to: { groupId: string } }
type Variable = { id: string; name: string }

export type BenchTypebot = {
  version: '6.1'
  id: string
  name: string
  events: Record<string, unknown>[]
  groups: Group[]
  edges: Edge[]
  variables: Variable[]
  theme: Record<string, never>
  settings: Record<string, never>
}

const answerVariable: Variable = { id: 'var-answer', name: 'Answer' }

/** The 3-group loop; `welcome` changes the first bubble, to publish a new version of the same flow. */
export function buildLoopFlow(welcome = 'Welcome to the benchmark bot.'): BenchTypebot {
  const flow = createFlow('Bench loop', [answerVariable])
  addLoopGroups(flow, welcome, [])
  return flow
}

/**
 * The loop flow plus `groupCount - 3` tour steps (reached when the answer is "tour"): each asks
 * a question into its own variable and goes on to the next one; every fourth step can lead back.
 */
export function buildLargeFlow(groupCount = 400, welcome = 'Welcome to the benchmark bot.'): BenchTypebot {
  const stepCount = groupCount - 3
  const stepVariables = Array.from({ length: stepCount }, (_, index) => ({ id: `var-step-${index + 1}`, name: `Step ${index + 1} answer` }))
  const flow = createFlow('Bench large', [answerVariable, ...stepVariables])
  const tourCondition: Block = {
    id: 'echo-condition',
    type: 'Condition',
    items: [
      conditionItem(
        'echo-tour',
        answerVariable.id,
        'Equal to',
        'tour',
        addEdge(flow, 'echo-tour', { blockId: 'echo-condition', itemId: 'echo-tour' }, 'step-1'),
      ),
    ],
  }
  addLoopGroups(flow, welcome, [tourCondition])
  for (let step = 1; step <= stepCount; step++) {
    const blocks: Block[] = [
      textBubble(`step-${step}-text`, `Step ${step}. ${stepText}`),
      { id: `step-${step}-input`, type: 'text input', options: { variableId: `var-step-${step}` } },
    ]
    // Every fourth step offers a way back, so the tour has branches as real flows do.
    if (step % 4 === 0) {
      const itemId = `step-${step}-back`
      const blockId = `step-${step}-condition`
      const backEdge = addEdge(flow, itemId, { blockId, itemId }, 'ask')
      blocks.push({ id: blockId, type: 'Condition', items: [conditionItem(itemId, `var-step-${step}`, 'Equal to', 'back', backEdge)] })
    }
    const last = blocks.length - 1
    blocks[last] = withEdge(flow, blocks[last]!, step === stepCount ? 'ask' : `step-${step + 1}`)
    flow.groups.push({
      id: `step-${step}`,
      title: `Tour step ${step}`,
      graphCoordinates: { x: 400 * (step % 20), y: 300 * (1 + Math.floor(step / 20)) },
      blocks,
    })
  }
  return flow
}

// Stands for the explanation a real flow shows at each step; its length sets the flow's weight.
const stepText = 'What would you like to know about this part of the product? Type back to leave the tour.'

function createFlow(name: string, variables: Variable[]): BenchTypebot {
  return {
    version: '6.1',
    id: name.toLowerCase().replace(/\s+/g, '-'),
    name,
    events: [{ id: 'start', type: 'start', graphCoordinates: { x: 0, y: 0 }, outgoingEdgeId: 'edge-start' }],
    groups: [],
    edges: [{ id: 'edge-start', from: { eventId: 'start' }, to: { groupId: 'welcome' } }],
    variables,
    theme: {},
    settings: {},
  }
}

function addLoopGroups(flow: BenchTypebot, welcome: string, echoExtraBlocks: Block[]) {
  const at = (x: number) => ({ x, y: 0 })
  flow.groups.push(
    { id: 'welcome', title: 'Welcome', graphCoordinates: at(300), blocks: [withEdge(flow, textBubble('welcome-text', welcome), 'ask')] },
    {
      id: 'ask',
      title: 'Ask',
      graphCoordinates: at(600),
      blocks: [
        textBubble('ask-text', 'Say something and I will repeat it.'),
        withEdge(flow, { id: 'ask-input', type: 'text input', options: { variableId: answerVariable.id } }, 'echo'),
      ],
    },
  )
  const echoBlocks = [textBubble('echo-text', 'You said: {{Answer}}'), ...echoExtraBlocks]
  const last = echoBlocks.length - 1
  echoBlocks[last] = withEdge(flow, echoBlocks[last]!, 'ask')
  flow.groups.push({ id: 'echo', title: 'Echo', graphCoordinates: at(900), blocks: echoBlocks })
}

function textBubble(id: string, text: string): Block {
  return { id, type: 'text', content: { richText: [{ type: 'p', children: [{ text }] }] } }
}

function withEdge(flow: BenchTypebot, block: Block, toGroupId: string): Block {
  return { ...block, outgoingEdgeId: addEdge(flow, `${block.id}-out`, { blockId: block.id }, toGroupId) }
}

function addEdge(flow: BenchTypebot, id: string, from: Record<string, string>, toGroupId: string): string {
  flow.edges.push({ id, from, to: { groupId: toGroupId } })
  return id
}

function conditionItem(id: string, variableId: string, comparisonOperator: string, value: string, outgoingEdgeId: string) {
  return {
    id,
    outgoingEdgeId,
    content: { logicalOperator: 'AND', comparisons: [{ id: `${id}-comparison`, variableId, comparisonOperator, value }] },
  }
}
