import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SessionLock } from '../../src/chat/session-lock.js'
import { parseConfig } from '../../src/config.js'
import type { CompactSessionState, TurnRecords } from '../../src/engine/types.js'
import { newId } from '../../src/ids.js'
import { createStore } from '../../src/storage/create-store.js'
import type { Store } from '../../src/storage/store.js'
import { createTestDatabase, type TestDatabase } from '../helpers/start-server.js'

/** The chat layer's session lock over a real store: SQLite, and PostgreSQL with TEST_DATABASE_URL. */
let database: TestDatabase
let store: Store
beforeAll(async () => {
  database = await createTestDatabase()
  store = await createStore(parseConfig({ DATABASE_URL: database.url }).database)
})
afterAll(async () => {
  await store.close()
  await database.drop()
})

const noRecords = (): TurnRecords => ({ answers: [], visitedEdges: [], setVariableHistory: [], results: [], logs: [] })
const state = (marker: string): CompactSessionState => ({
  version: 'botflow-2',
  workspaceId: 'w',
  isPreview: false,
  typebotsQueue: [{ typebotId: 't', versionId: 'v', variables: [], answers: [] }],
  currentBlockId: marker,
})

async function createSession(): Promise<string> {
  const id = newId()
  expect(await store.commitTurn({ kind: 'create', session: { id, typebotId: 't', state: state('start') } }, noRecords())).toBe(true)
  return id
}

describe(`SessionLock (${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'SQLite'})`, () => {
  it('runs one turn at a time per session, and keeps nothing for a session once its turns are done, failed ones included', async () => {
    const lock = new SessionLock(store)
    const sessionIds = [await createSession(), await createSession(), await createSession()]
    const running = new Map<string, number>()
    let mostAtOnce = 0
    const turn = (sessionId: string, index: number) =>
      lock.run(sessionId, async (lease) => {
        running.set(sessionId, (running.get(sessionId) ?? 0) + 1)
        mostAtOnce = Math.max(mostAtOnce, running.get(sessionId) ?? 0)
        try {
          // Yields, so that a second turn of the session would start now if the lock let it.
          await sleep(1)
          if (index % 5 === 4) throw new Error('a failed turn')
          const rowVersion = lease.session?.rowVersion ?? 0
          return await lease.commit(
            { kind: 'update', sessionId, expectedRowVersion: rowVersion, state: state(`turn ${index}`) },
            noRecords(),
          )
        } finally {
          running.set(sessionId, (running.get(sessionId) ?? 0) - 1)
        }
      })

    const outcomes = await Promise.allSettled(
      sessionIds.flatMap((sessionId) => Array.from({ length: 10 }, (_, index) => turn(sessionId, index))),
    )
    expect(mostAtOnce).toBe(1)
    expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toHaveLength(6)
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled' && outcome.value === true)).toHaveLength(24)
    expect(lock.busySessionCount).toBe(0)
    // Every lease was given back, by the turn's write or after a failed turn: another owner takes it at once.
    for (const sessionId of sessionIds) expect(await store.leaseSession(sessionId, 'another', 60_000)).toMatchObject({ rowVersion: 9 })
  })

  it('keeps nothing either for session ids that do not exist', async () => {
    const lock = new SessionLock(store)
    const unknownId = newId()
    const sessions = await Promise.all([1, 2, 3].map(() => lock.run(unknownId, async (lease) => lease.session)))
    expect(sessions).toEqual([undefined, undefined, undefined])
    expect(lock.busySessionCount).toBe(0)
  })
})
