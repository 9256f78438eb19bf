/**
 * The one boundary between session states as stored (compact: each queue entry keeps only the
 * variables its version does not imply) and as the engine runs them (full variable lists).
 * See engine/compact-variables.ts.
 */
import { compactState, expandState } from '../engine/compact-variables.js'
import type { CompactSessionState, SessionState, StoredSessionState, TypebotSnapshot } from '../engine/types.js'
import type { ChatContext } from './chat-context.js'

/** The full state of a stored one and the versions it runs; every version must exist. */
export async function openStoredState(
  context: ChatContext,
  stored: StoredSessionState,
): Promise<{ state: SessionState; typebots: Map<string, TypebotSnapshot> }> {
  const typebots = await context.versions.loadAll(stored.typebotsQueue.map((entry) => entry.versionId))
  return { state: expandState(stored, (versionId) => typebots.get(versionId)), typebots }
}

/** The full state, to read it only: an entry whose version is gone shows its stored variables. */
export async function readStoredState(context: ChatContext, stored: StoredSessionState): Promise<SessionState> {
  const typebots = await findSnapshots(context, stored)
  return expandState(stored, (versionId) => typebots.get(versionId))
}

/** The state to store; `known` saves looking up versions the caller already holds. */
export async function toStoredState(
  context: ChatContext,
  state: SessionState,
  known?: ReadonlyMap<string, TypebotSnapshot>,
): Promise<CompactSessionState> {
  const typebots = await findSnapshots(context, state, known)
  return compactState(state, (versionId) => typebots.get(versionId))
}

/** A stored state in compact form; a full one, stored before compaction existed, is compacted. */
export async function toCompactState(context: ChatContext, stored: StoredSessionState): Promise<CompactSessionState> {
  return stored.version === 'botflow-2' ? stored : toStoredState(context, stored)
}

async function findSnapshots(
  context: ChatContext,
  state: StoredSessionState,
  known?: ReadonlyMap<string, TypebotSnapshot>,
): Promise<Map<string, TypebotSnapshot>> {
  const snapshots = new Map<string, TypebotSnapshot>()
  for (const { versionId } of state.typebotsQueue) {
    if (snapshots.has(versionId)) continue
    const snapshot = known?.get(versionId) ?? (await context.versions.load(versionId))
    if (snapshot) snapshots.set(versionId, snapshot)
  }
  return snapshots
}
