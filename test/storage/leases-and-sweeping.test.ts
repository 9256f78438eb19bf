import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { parseConfig } from '../../src/config.js'
import { newId } from '../../src/ids.js'
import { createMigrator, findPendingMigrations, migrateToLatest, openDatabase } from '../../src/storage/create-store.js'
import { createMigrationProvider } from '../../src/storage/migrations/index.js'
import { createTestDatabase } from '../helpers/start-server.js'
import { compactState, noTurnRecords } from '../helpers/stored-turns.js'
import { useTestStore } from '../helpers/test-store.js'

/** Session leases, the sweeper's deletes and job leases, on SQLite, and on PostgreSQL with TEST_DATABASE_URL. */
const store = useTestStore()

const state = (marker: string, expiryTimeout?: number) => compactState({ currentBlockId: marker, expiryTimeout })

async function createSession(options: { expiryTimeout?: number; resultId?: string } = {}): Promise<string> {
  const id = newId()
  const records = noTurnRecords()
  if (options.resultId) {
    records.results.push({ id: options.resultId, typebotId: 't', variables: [], hasStarted: true, isCompleted: false })
    records.answers.push({ resultId: options.resultId, blockId: 'b', content: 'an answer' })
    records.logs.push({ resultId: options.resultId, status: 'info', description: 'a log' })
    records.visitedEdges.push({ resultId: options.resultId, edgeId: 'e', index: 0 })
  }
  const written = await store.commitTurn(
    { kind: 'create', session: { id, typebotId: 't', state: state('start', options.expiryTimeout) } },
    records,
    {
      lastChatSessionId: id,
    },
  )
  expect(written).toBe(true)
  return id
}

describe(`Session leases (${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'SQLite'})`, () => {
  it('reads the session while leasing it; another owner finds it busy until the write releases it', async () => {
    const id = await createSession()
    const leased = await store.leaseSession(id, 'a', 60_000)
    expect(leased).toMatchObject({ id, rowVersion: 1, state: { currentBlockId: 'start' } })
    expect(await store.leaseSession(id, 'b', 60_000)).toBe('busy')
    // The holder may read it again.
    expect(await store.leaseSession(id, 'a', 60_000)).toMatchObject({ id })
    const written = await store.commitTurn(
      { kind: 'update', sessionId: id, expectedRowVersion: 1, state: state('next'), leaseOwner: 'a' },
      noTurnRecords(),
    )
    expect(written).toBe(true)
    expect(await store.leaseSession(id, 'b', 60_000)).toMatchObject({ id, rowVersion: 2, state: { currentBlockId: 'next' } })
  })

  it('keeps the row version as the last guard: a write without the lease lands, and keeps the holder’s lease', async () => {
    const id = await createSession()
    await store.leaseSession(id, 'a', 60_000)
    expect(await store.commitTurn({ kind: 'update', sessionId: id, expectedRowVersion: 1, state: state('other') }, noTurnRecords())).toBe(
      true,
    )
    expect(await store.leaseSession(id, 'b', 60_000)).toBe('busy')
    expect(
      await store.commitTurn(
        { kind: 'update', sessionId: id, expectedRowVersion: 1, state: state('late'), leaseOwner: 'a' },
        noTurnRecords(),
      ),
    ).toBe(false)
  })

  it('lets another owner in once a lease runs out or is released, and says when there is no session', async () => {
    const id = await createSession()
    await store.leaseSession(id, 'a', 1)
    await sleep(20)
    expect(await store.leaseSession(id, 'b', 60_000)).toMatchObject({ id })
    await store.renewSessionLease(id, 'b', 60_000)
    expect(await store.leaseSession(id, 'c', 60_000)).toBe('busy')
    await store.releaseSessionLease(id, 'c')
    expect(await store.leaseSession(id, 'c', 60_000)).toBe('busy')
    await store.releaseSessionLease(id, 'b')
    expect(await store.leaseSession(id, 'c', 60_000)).toMatchObject({ id })
    expect(await store.leaseSession(newId(), 'a', 60_000)).toBeUndefined()
  })
})

describe(`Sweeping (${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'SQLite'})`, () => {
  it('deletes expired sessions only, a batch at a time, and keeps their results', async () => {
    const resultId = newId()
    const expiring = [await createSession({ expiryTimeout: 1_000, resultId }), await createSession({ expiryTimeout: 1_000 })]
    const lasting = [await createSession({ expiryTimeout: 3_600_000 }), await createSession()]
    const later = new Date(Date.now() + 60_000).toISOString()
    expect(await store.sweep.deleteExpiredSessions(new Date().toISOString(), 100)).toBe(0)
    expect(await store.sweep.deleteExpiredSessions(later, 1)).toBe(1)
    expect(await store.sweep.deleteExpiredSessions(later, 100)).toBe(1)
    for (const id of expiring) expect(await store.findSession(id)).toBeUndefined()
    for (const id of lasting) expect(await store.findSession(id)).toBeDefined()
    expect(await store.findResult(resultId)).toBeDefined()
    expect(await store.listAnswers(resultId)).toHaveLength(1)
  })

  it('deletes results older than the cutoff with their answers, logs, edges, uploads and session', async () => {
    const oldResult = newId()
    const sessionId = await createSession({ resultId: oldResult })
    const uploadId = newId()
    await store.uploads.createUpload({
      id: uploadId,
      tokenHash: newId(),
      workspaceId: 'w',
      typebotId: 't',
      resultId: oldResult,
      sessionId,
      blockId: 'b',
      waitVersion: 1,
      storageKey: `files/${uploadId}/photo.png`,
      fileName: 'photo.png',
      contentType: 'image/png',
      isAttachment: false,
      maxBytes: 1_000,
      isPrivate: false,
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    })
    expect(await store.sweep.deleteResultsCreatedBefore(new Date(Date.now() - 86_400_000).toISOString(), 100)).toEqual({
      count: 0,
      storageKeys: [],
    })
    const cutoff = new Date(Date.now() + 1_000).toISOString()
    let deleted = 0
    const storageKeys: string[] = []
    for (
      let batch = await store.sweep.deleteResultsCreatedBefore(cutoff, 1);
      batch.count > 0;
      batch = await store.sweep.deleteResultsCreatedBefore(cutoff, 1)
    ) {
      deleted += batch.count
      storageKeys.push(...batch.storageKeys)
    }
    expect(deleted).toBeGreaterThanOrEqual(1)
    expect(storageKeys).toEqual([`files/${uploadId}/photo.png`])
    expect(await store.uploads.findUpload(uploadId)).toBeUndefined()
    expect(await store.findResult(oldResult)).toBeUndefined()
    expect(await store.listAnswers(oldResult)).toEqual([])
    expect(await store.listLogs(oldResult)).toEqual([])
    expect(await store.listVisitedEdges(oldResult)).toEqual([])
    expect(await store.findSession(sessionId)).toBeUndefined()
  })

  it('lets one owner at a time hold a job lease, until it runs out or is released', async () => {
    const now = Date.now()
    expect(await store.sweep.takeLease('job', 'a', 60_000, now)).toBe(true)
    expect(await store.sweep.takeLease('job', 'b', 60_000, now)).toBe(false)
    expect(await store.sweep.takeLease('job', 'a', 60_000, now + 1)).toBe(true)
    expect(await store.sweep.takeLease('job', 'b', 60_000, now + 60_002)).toBe(true)
    await store.sweep.releaseLease('job', 'a')
    expect(await store.sweep.takeLease('job', 'a', 60_000, now + 60_003)).toBe(false)
    await store.sweep.releaseLease('job', 'b')
    expect(await store.sweep.takeLease('job', 'a', 60_000, now + 60_004)).toBe(true)
  })
})

describe('migration 0003 on a database that ran later migrations first', () => {
  it('is applied afterwards instead of refusing the database', async () => {
    const late = await createTestDatabase()
    const db = openDatabase(parseConfig(late.env).database)
    try {
      const dialect = parseConfig(late.env).database.kind
      const full = createMigrationProvider(dialect)
      const all = await full.getMigrations()
      const { '0003-leases-and-expiry': _, ...withoutLeases } = all
      const before = await createMigrator(db, dialect, { getMigrations: async () => withoutLeases })
      expect((await before.migrateToLatest()).error).toBeUndefined()
      expect(await migrateToLatest(db, dialect)).toEqual(['0003-leases-and-expiry'])
      expect(await findPendingMigrations(db, dialect)).toEqual([])
    } finally {
      await db.destroy()
      await late.drop()
    }
  })
})
