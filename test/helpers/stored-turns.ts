import { expect } from 'vitest'
import type { CompactSessionState, TurnRecords } from '../../src/engine/types.js'
import { newId } from '../../src/ids.js'
import type { Store } from '../../src/storage/store.js'

/** Session states and turn records written straight to a store, for tests that need stored data and no chat. */

export function noTurnRecords(): TurnRecords {
  return { answers: [], visitedEdges: [], setVariableHistory: [], results: [], logs: [] }
}

/** The smallest stored state: one typebot in the queue (workspace `w`, typebot `t` unless given). */
export function compactState(
  options: { workspaceId?: string; typebotId?: string; resultId?: string; currentBlockId?: string; expiryTimeout?: number } = {},
): CompactSessionState {
  const { workspaceId = 'w', typebotId = 't', resultId, currentBlockId, expiryTimeout } = options
  return {
    version: 'botflow-2',
    workspaceId,
    isPreview: false,
    typebotsQueue: [{ typebotId, versionId: 'v', ...(resultId === undefined ? {} : { resultId }), variables: [], answers: [] }],
    ...(currentBlockId === undefined ? {} : { currentBlockId }),
    ...(expiryTimeout === undefined ? {} : { expiryTimeout }),
  }
}

/** Writes a new session of the typebot with these records (results, answers, logs...), as its first turn would. */
export async function storeTurn(
  store: Store,
  session: { workspaceId: string; typebotId: string },
  records: Partial<TurnRecords>,
): Promise<void> {
  const state = compactState(session)
  const written = await store.commitTurn(
    { kind: 'create', session: { id: newId(), typebotId: session.typebotId, state } },
    { ...noTurnRecords(), ...records },
  )
  expect(written).toBe(true)
}
