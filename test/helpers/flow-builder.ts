/**
 * Small typebot v6.1 documents for tests: groups of blocks joined by edges, written compactly.
 * `text("Hi {{Name}}")` is a text bubble; inputs take the id of the variable they save to.
 */
export type TestBlock = Record<string, unknown> & { id: string; type: string }
export type TestGroup = { id: string; title: string; blocks: TestBlock[]; next?: string }

export const text = (id: string, content: string): TestBlock => ({
  id,
  type: 'text',
  content: { richText: [{ type: 'p', children: [{ text: content }] }] },
})

export const textInput = (id: string, variableId: string): TestBlock => ({ id, type: 'text input', options: { variableId } })

export const numberInput = (id: string, variableId: string, options: Record<string, unknown> = {}): TestBlock => ({
  id,
  type: 'number input',
  options: { variableId, ...options },
})

export const setVariable = (id: string, variableId: string, expressionToEvaluate: string): TestBlock => ({
  id,
  type: 'Set variable',
  options: { variableId, expressionToEvaluate },
})

/**
 * Builds a document: the start event leads to the first group; each group's last block leads to
 * the group named in `next` (a group may loop to itself).
 */
export function buildTypebot(options: { groups: TestGroup[]; variables: { id: string; name: string; value?: string }[]; name?: string }) {
  const edges: Record<string, unknown>[] = []
  const first = options.groups[0]
  edges.push({ id: 'edge-start', from: { eventId: 'start' }, to: { groupId: first?.id } })
  const groups = options.groups.map((group, index) => {
    const blocks = group.blocks.map((block) => ({ ...block }))
    const last = blocks[blocks.length - 1]
    if (group.next && last) {
      const edgeId = `edge-${group.id}-${group.next}`
      edges.push({ id: edgeId, from: { blockId: last.id }, to: { groupId: group.next } })
      last.outgoingEdgeId = edgeId
    }
    return { id: group.id, title: group.title, graphCoordinates: { x: index * 300, y: 0 }, blocks }
  })
  return {
    version: '6.1',
    id: 'test-bot',
    name: options.name ?? 'Test bot',
    events: [{ id: 'start', type: 'start', graphCoordinates: { x: 0, y: 0 }, outgoingEdgeId: 'edge-start' }],
    groups,
    edges,
    variables: options.variables,
    theme: {},
    settings: {},
  }
}

/** Replaces a block of a built document, keeping the exit edge the group's last block carries. */
export function replaceBlock(document: ReturnType<typeof buildTypebot>, groupIndex: number, blockIndex: number, block: TestBlock) {
  const group = document.groups[groupIndex]
  if (!group) throw new Error(`no group ${groupIndex}`)
  const previous = group.blocks[blockIndex]
  group.blocks[blockIndex] = previous?.outgoingEdgeId ? { ...block, outgoingEdgeId: previous.outgoingEdgeId } : block
}
