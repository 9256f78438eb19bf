import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import SqliteDatabase from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { parseConfig } from '../../src/config.js'
import type { TurnRecords } from '../../src/engine/types.js'
import { newId } from '../../src/ids.js'
import { migrateToLatest } from '../../src/storage/create-store.js'
import type { Database } from '../../src/storage/database.js'
import { createKyselyStore } from '../../src/storage/kysely-store.js'
import { SqliteCheckpointer } from '../../src/storage/sqlite-checkpointer.js'
import { SqliteTurnWriter } from '../../src/storage/sqlite-turn-writer.js'
import { compactState, noTurnRecords } from '../helpers/stored-turns.js'

/** SQLite's own write path: group commits written through better-sqlite3, and WAL checkpoints in a worker. */
const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

function temporaryFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'botflow-sqlite-'))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  return join(dir, 'botflow.sqlite')
}

/** A store over a raw connection the test can also use, as createStore builds it. */
async function openStore(filename: string) {
  const sqlite = new SqliteDatabase(filename)
  sqlite.pragma('journal_mode = WAL')
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) })
  await migrateToLatest(db, parseConfig({ DATABASE_URL: `file:${filename}` }).database.kind)
  const store = createKyselyStore(db, { turns: { dialect: 'sqlite', writer: new SqliteTurnWriter(sqlite) } })
  cleanups.push(() => store.close())
  return { store, db, sqlite }
}

const state = (marker: string) => compactState({ currentBlockId: marker })
const answerRecords = (resultId: string, content: string): TurnRecords => ({
  ...noTurnRecords(),
  answers: [{ resultId, blockId: 'b', content }],
  results: [{ id: resultId, typebotId: 't', variables: [], hasStarted: true, isCompleted: false }],
})

describe('SQLite group commit', () => {
  it('undoes a failing turn alone: the other turns of the same batch are saved', async () => {
    const { store } = await openStore(temporaryFile())
    const ids = [newId(), newId(), newId()]
    await Promise.all(
      ids.map((id) =>
        store.commitTurn({ kind: 'create', session: { id, typebotId: 't', state: state('start') } }, answerRecords(newId(), 'x')),
      ),
    )
    const resultIds = ids.map(() => newId())
    const failing = answerRecords(resultIds[1]!, 'never saved')
    // logs.description is NOT NULL: this turn fails after its session and answer were written.
    failing.logs.push({ resultId: resultIds[1]!, description: null as unknown as string })

    // Started together, so they share one transaction.
    const outcomes = await Promise.allSettled(
      ids.map((id, index) =>
        store.commitTurn(
          { kind: 'update', sessionId: id, expectedRowVersion: 1, state: state(`turn ${index}`) },
          index === 1 ? failing : answerRecords(resultIds[index]!, `answer ${index}`),
        ),
      ),
    )

    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect((await store.findSession(ids[0]!))?.state.currentBlockId).toBe('turn 0')
    expect((await store.findSession(ids[1]!))?.state.currentBlockId).toBe('start')
    expect((await store.findSession(ids[2]!))?.state.currentBlockId).toBe('turn 2')
    expect((await store.listAnswers(resultIds[1]!)).length).toBe(0)
    expect((await store.listAnswers(resultIds[2]!)).map((answer) => answer.content)).toEqual(['answer 2'])
  })

  it('waits for another process holding the write lock without stopping its own event loop', async () => {
    const filename = temporaryFile()
    const { store } = await openStore(filename)
    // Another process's connection, holding the write lock.
    const other = new SqliteDatabase(filename)
    cleanups.push(() => {
      if (other.open) other.close()
    })
    other.exec('BEGIN IMMEDIATE')
    const sessionId = newId()
    let isTurnDone = false
    const turn = store
      .commitTurn(
        { kind: 'create', session: { id: sessionId, typebotId: 't', state: state('after the lock') } },
        answerRecords(newId(), 'x'),
      )
      .then((isWritten) => {
        isTurnDone = true
        return isWritten
      })
    // Timers still fire while the turn waits: better-sqlite3 would otherwise wait inside the call.
    let ticks = 0
    for (let index = 0; index < 5; index++) {
      await sleep(10)
      ticks++
    }
    expect(ticks).toBe(5)
    expect(isTurnDone).toBe(false)
    other.exec('COMMIT')
    expect(await turn).toBe(true)
    expect((await store.findSession(sessionId))?.state.currentBlockId).toBe('after the lock')
  })

  it('waits for a transaction open on the shared connection instead of joining it', async () => {
    const { store, db } = await openStore(temporaryFile())
    const sessionId = newId()
    let release = () => {}
    const held = new Promise<void>((resolve) => (release = resolve))
    // A management write that awaits something between its queries, then rolls back.
    const management = db.transaction().execute(async (trx) => {
      await trx.insertInto('users').values({ id: newId(), email: 'rolled-back@example.com', name: null, created_at: '' }).execute()
      await held
      throw new Error('roll back')
    })
    const turn = store.commitTurn(
      { kind: 'create', session: { id: sessionId, typebotId: 't', state: state('kept') } },
      answerRecords(newId(), 'kept'),
    )
    let isTurnDone = false
    void turn.then(() => (isTurnDone = true))
    await sleep(20)
    expect(isTurnDone).toBe(false)

    release()
    await expect(management).rejects.toThrow('roll back')
    expect(await turn).toBe(true)
    expect((await store.findSession(sessionId))?.state.currentBlockId).toBe('kept')
    expect(await store.findUserByEmail('rolled-back@example.com')).toBeUndefined()
  })
})

describe('WAL checkpoints in a worker thread', () => {
  function openWal(filename: string) {
    const sqlite = new SqliteDatabase(filename)
    sqlite.pragma('journal_mode = WAL')
    sqlite.exec('CREATE TABLE rows (id INTEGER PRIMARY KEY, body TEXT NOT NULL)')
    cleanups.push(() => {
      if (sqlite.open) sqlite.close()
    })
    return sqlite
  }
  const filler = 'x'.repeat(3_000)

  it('copies committed pages into the database file while the writer goes on', async () => {
    const filename = temporaryFile()
    const sqlite = openWal(filename)
    // A mark so high that neither SQLite nor the main thread would checkpoint on their own.
    const checkpointer = new SqliteCheckpointer(sqlite, filename, { intervalMs: 0, resetFrames: 100_000 })
    cleanups.push(() => checkpointer.close())
    const sizeBefore = statSync(filename).size
    const insert = sqlite.prepare('INSERT INTO rows (body) VALUES (?)')
    for (let index = 0; index < 200; index++) insert.run(filler)
    checkpointer.noteCommit()

    // The worker copies pages in several passes, so the file grows in steps: wait for the whole copy.
    await expect.poll(() => statSync(filename).size, { timeout: 10_000, interval: 20 }).toBeGreaterThan(sizeBefore + 200 * filler.length)
  })

  it("hands checkpoints back to SQLite's default when the worker cannot run", async () => {
    const filename = temporaryFile()
    const sqlite = openWal(filename)
    // The worker opens the file by name: a name that does not exist makes it fail.
    const checkpointer = new SqliteCheckpointer(sqlite, `${filename}.missing`, { intervalMs: 0, resetFrames: 8_000 })
    cleanups.push(() => checkpointer.close())
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(32_000)
    checkpointer.noteCommit()

    for (let waited = 0; sqlite.pragma('wal_autocheckpoint', { simple: true }) !== 1_000 && waited < 10_000; waited += 20) await sleep(20)
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(1_000)
  })

  it('keeps the WAL file bounded under sustained writes, and loses no row', async () => {
    const filename = temporaryFile()
    const sqlite = openWal(filename)
    const checkpointer = new SqliteCheckpointer(sqlite, filename, { intervalMs: 0, resetFrames: 200 })
    cleanups.push(() => checkpointer.close())
    const insert = sqlite.prepare('INSERT INTO rows (body) VALUES (?)')
    const writeBatch = sqlite.transaction(() => {
      for (let index = 0; index < 5; index++) insert.run(filler)
    })
    for (let batch = 0; batch < 2_000; batch++) {
      writeBatch()
      checkpointer.noteCommit()
      // Lets the worker's answers in, as a server's event loop does between requests. Requests
      // arrive through timers and sockets, not only immediates: without a timer turn now and then
      // this loop commits ~5,000 times a second, faster than the worker's passes (each ends with
      // an fsync) complete on a busy machine, and the WAL is never started over.
      if (batch % 5 === 0) await sleep(0)
      else await new Promise((resolve) => setImmediate(resolve))
    }
    // 10,000 rows of ~3 KB, a page each: ~40 MB went through the WAL, which was started over
    // again and again (never checkpointed, it would hold them all).
    const pageSize = Number(sqlite.pragma('page_size', { simple: true }))
    expect(statSync(`${filename}-wal`).size).toBeLessThan(0.3 * 10_000 * pageSize)
    await checkpointer.close()
    sqlite.close()

    const reopened = new SqliteDatabase(filename, { readonly: true })
    cleanups.push(() => {
      reopened.close()
    })
    expect(reopened.prepare('SELECT count(*) AS count FROM rows').get()).toEqual({ count: 10_000 })
  })
})
