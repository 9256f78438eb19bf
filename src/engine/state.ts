/**
 * Small immutable helpers over SessionState. Every function returns a new state and leaves its
 * input (and the shared snapshots) untouched.
 */
import type { Edge, QueueEntry, SessionState, SetVariableHistoryItem, TypebotQueue, Variable, VariableValue } from './types.js'

export type VariableUpdate = { id: string; value: VariableValue; isSessionVariable?: boolean }

/**
 * Writes variables of the top queue entry by id (values normalised by the caller: normalising
 * twice would double backslashes again) and, when `blockId` is given, records history items for
 * ids in `state.setVariableIdsForHistory` (§4.15.2). Unknown ids are ignored. Preview sessions
 * also keep the items in `previewMetadata`. Unlike Typebot (§5.1 rule 6), updated variables keep
 * their place: the list stays in the canonical order that stored sessions rely on
 * (compact-variables.ts).
 */
export function applyVariableUpdates(
  state: SessionState,
  updates: VariableUpdate[],
  blockId?: string,
): { state: SessionState; history: SetVariableHistoryItem[] } {
  const entry = state.typebotsQueue[0]
  const latestById = new Map<string, VariableUpdate>()
  for (const update of updates) {
    if (!entry.variables.some((variable) => variable.id === update.id)) continue
    latestById.delete(update.id)
    latestById.set(update.id, update)
  }
  if (latestById.size === 0) return { state, history: [] }

  const updated: Variable[] = []
  for (const update of latestById.values()) {
    const variable = entry.variables.find((candidate) => candidate.id === update.id)
    if (!variable) continue
    updated.push({
      ...variable,
      value: update.value === '' ? null : update.value,
      ...(update.isSessionVariable ? { isSessionVariable: true } : {}),
    })
  }
  const updatedById = new Map(updated.map((variable) => [variable.id, variable]))
  const variables = entry.variables.map((variable) => updatedById.get(variable.id) ?? variable)
  let next = replaceTopEntry(state, { ...entry, variables })
  if (blockId === undefined) return { state: next, history: [] }

  const tracked = new Set(state.setVariableIdsForHistory ?? [])
  const blockIndex = state.currentSetVariableHistoryIndex ?? 0
  const history: SetVariableHistoryItem[] = updated
    .filter((variable) => tracked.has(variable.id))
    .map((variable, offset) => ({
      blockId,
      variableId: variable.id,
      value: variable.value ?? null,
      blockIndex,
      index: blockIndex + offset,
    }))
  if (history.length === 0) return { state: next, history }

  next = { ...next, currentSetVariableHistoryIndex: blockIndex + history.length }
  if (next.isPreview) {
    const previous = next.previewMetadata?.setVariableHistory ?? []
    next = {
      ...next,
      previewMetadata: {
        ...next.previewMetadata,
        setVariableHistory: [
          ...previous,
          ...history.map(({ blockId, variableId, value, blockIndex }) => ({ blockId, variableId, value, blockIndex })),
        ],
      },
    }
  }
  return { state: next, history }
}

export function replaceTopEntry(state: SessionState, entry: QueueEntry): SessionState {
  return { ...state, typebotsQueue: [entry, ...state.typebotsQueue.slice(1)] }
}

/** Adds (or retargets) a runtime edge of the top entry (§1.5 virtual edges). */
export function addVirtualEdge(
  state: SessionState,
  target: { groupId: string; blockId?: string },
): { state: SessionState; edgeId: string } {
  const edgeId = target.blockId ? `virtual-${target.groupId}-${target.blockId}` : `virtual-${target.groupId}`
  const edge: Edge = {
    id: edgeId,
    from: { blockId: '' },
    to: target.blockId ? { groupId: target.groupId, blockId: target.blockId } : { groupId: target.groupId },
  }
  const entry = state.typebotsQueue[0]
  const existing = entry.virtualEdges ?? []
  const same = existing.find((candidate) => candidate.id === edgeId)
  if (same && same.to.groupId === edge.to.groupId && same.to.blockId === edge.to.blockId) return { state, edgeId }
  const virtualEdges = [...existing.filter((candidate) => candidate.id !== edgeId), edge]
  return { state: replaceTopEntry(state, { ...entry, virtualEdges }), edgeId }
}

/** Variables a result row stores (§2.5): not session-only, and holding a value. */
export function resultVariablesOf(variables: Variable[]): Variable[] {
  return variables.filter((variable) => !variable.isSessionVariable && hasValue(variable.value))
}

export function hasValue(value: VariableValue | undefined): value is string | (string | null)[] {
  return value !== undefined && value !== null && value !== ''
}

/** `Array.map` over the link queue that keeps its "never empty" type. */
export function mapQueue(queue: TypebotQueue, transform: (entry: QueueEntry, index: number) => QueueEntry): TypebotQueue {
  const [top, ...rest] = queue
  return [transform(top, 0), ...rest.map((entry, index) => transform(entry, index + 1))]
}
