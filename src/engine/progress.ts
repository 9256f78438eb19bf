/**
 * Progress (§4.13): answers given so far against the inputs still reachable from the current one.
 */
import { findBlockHandler } from './blocks/registry.js'
import { outgoingEdgeIdsOf, type TypebotView, viewTypebot } from './typebot-view.js'
import type { SessionState, TypebotSnapshot } from './types.js'

/** The progress percentage while the session waits on an input (not rounded). */
export function computeProgress(state: SessionState, typebots: ReadonlyMap<string, TypebotSnapshot>): number {
  const answered = state.progressMetadata?.totalAnswers ?? 0
  const remaining = countReachableInputs(state, typebots)
  // Only loops ahead: Typebot's formula degenerates to -0 here.
  if (remaining === undefined) return 0
  return ((answered + 1) / (remaining + answered + 1)) * 100
}

type Position = { entryIndex: number; groupId: string; blockIndex: number }

/** Distinct inputs reachable from the current block; undefined when no path ever ends. */
function countReachableInputs(state: SessionState, typebots: ReadonlyMap<string, TypebotSnapshot>): number | undefined {
  const views = state.typebotsQueue.map((entry) => {
    const snapshot = typebots.get(entry.versionId)
    return snapshot ? viewTypebot(snapshot, entry) : undefined
  })
  const current = state.currentBlockId ? views[0]?.findBlock(state.currentBlockId) : undefined
  // The block vanished (typebot update): count the current input alone rather than failing.
  if (!current) return 1

  const inputs = new Set<string>()
  const visited = new Set<string>()
  let hasReachedEnd = false
  const pending: Position[] = [{ entryIndex: 0, groupId: current.groupId, blockIndex: current.index }]

  const enqueueEdge = (view: TypebotView | undefined, entryIndex: number, edgeId: string) => {
    const edge = view?.findEdge(edgeId)
    const group = edge && view?.findGroup(edge.to.groupId)
    if (!edge || !group) {
      hasReachedEnd = true
      return
    }
    const blockIndex = edge.to.blockId ? group.blocks.findIndex((block) => block.id === edge.to.blockId) : 0
    pending.push({ entryIndex, groupId: group.id, blockIndex: Math.max(blockIndex, 0) })
  }

  while (pending.length > 0) {
    const position = pending.pop()
    if (!position) break
    const view = views[position.entryIndex]
    const group = view?.findGroup(position.groupId)
    const block = group?.blocks[position.blockIndex]
    if (!group || !block) continue
    const key = `${position.entryIndex}:${block.id}`
    if (visited.has(key)) continue
    visited.add(key)
    if (findBlockHandler(block)?.family === 'input') inputs.add(key)

    const edgeIds = outgoingEdgeIdsOf(block)
    for (const edgeId of edgeIds) enqueueEdge(view, position.entryIndex, edgeId)
    if (position.blockIndex + 1 < group.blocks.length) {
      pending.push({ ...position, blockIndex: position.blockIndex + 1 })
      continue
    }
    if (edgeIds.length > 0) continue
    hasReachedEnd = true
    // Where the walk goes once this typebot runs out: the queued (resume) edges, in the parent.
    const queued = state.typebotsQueue[position.entryIndex]?.queuedEdgeIds ?? []
    const resumeIndex = position.entryIndex + 1 < views.length ? position.entryIndex + 1 : position.entryIndex
    for (const edgeId of queued) enqueueEdge(views[resumeIndex], resumeIndex, edgeId)
  }
  return hasReachedEnd ? inputs.size : undefined
}
