/**
 * Small immutable helpers over SessionState.
 * STUB: signatures are the contract; bodies are being written.
 */
import type { SessionState, SetVariableHistoryItem, VariableValue } from './types.js'

/**
 * Writes variables of the top queue entry by id (values normalised by the caller or here),
 * moves updated variables to the end (§5.1 rule 6) and, when `blockId` is given, records
 * history items for ids in `state.setVariableIdsForHistory` (§4.15.2).
 */
export function applyVariableUpdates(
  state: SessionState,
  updates: { id: string; value: VariableValue }[],
  blockId?: string,
): { state: SessionState; history: SetVariableHistoryItem[] } {
  throw new Error('not implemented: applyVariableUpdates')
}
