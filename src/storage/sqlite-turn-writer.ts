import type BetterSqlite3 from 'better-sqlite3'
import { newId } from '../ids.js'
import { prepareControlStatements, type TurnRecordsWithControl, writeControlRecords } from './control-records.js'
import type { Database } from './database.js'
import type { SessionWrite } from './store.js'
import { expiresAtOf, isUniqueViolation, truncateDetails } from './write-rules.js'

/** One unit of a group commit: its statements run in a savepoint of their own; the caller hears after the COMMIT. */
export type BatchJob = {
  execute(statements: Statements): void
  /** The job's statements threw and its savepoint was undone. */
  recover(error: unknown): void
}

/** How long a statement waits for another process's write lock (better-sqlite3 waits synchronously). */
export const sqliteBusyTimeoutMs = 5_000

type SessionRow = Database['sessions']
type LeasedRow = Pick<SessionRow, 'id' | 'typebot_id' | 'state' | 'row_version' | 'created_at' | 'updated_at'>

/**
 * SQLite: the writes of a group commit (turns, and the session leases that share its commits), run
 * synchronously with statements prepared once. On the chat hot path, building each query with Kysely and
 * awaiting it cost more than SQLite's own work; better-sqlite3 is synchronous anyway, so the whole
 * batch runs as one call. The SQL says what the PostgreSQL statements say (`postgres-turns.ts`); the
 * store contract tests hold both to the same behaviour.
 */
export class SqliteTurnWriter {
  private writeBatch: ((jobs: BatchJob[]) => void) | undefined

  constructor(private readonly database: BetterSqlite3.Database) {}

  /** False while another transaction is open on the connection (a Kysely one awaiting its next query). */
  canWrite(): boolean {
    return !this.database.inTransaction
  }

  /**
   * One transaction for all the jobs, a savepoint each; throws only when the transaction itself fails,
   * and with SQLITE_BUSY at once when another process holds the write lock: waiting for it here
   * would stop this process's event loop (the caller retries on a timer, see CommitBatcher).
   */
  write(jobs: BatchJob[]): void {
    // Prepared on first use: the tables exist only once the migrations have run.
    this.writeBatch ??= prepareBatch(this.database)
    this.database.pragma('busy_timeout = 0')
    try {
      this.writeBatch(jobs)
    } finally {
      this.database.pragma(`busy_timeout = ${sqliteBusyTimeoutMs}`)
    }
  }
}

function prepareBatch(database: BetterSqlite3.Database): (jobs: BatchJob[]) => void {
  const statements = prepareStatements(database)
  // better-sqlite3 runs a transaction function called inside another as a savepoint: a job that
  // throws is undone alone, and the other jobs of the batch still commit.
  const inSavepoint = database.transaction((job: BatchJob) => job.execute(statements))
  const writeAll = database.transaction((jobs: BatchJob[]) => {
    statements.control.startBatch()
    for (const job of jobs) {
      try {
        inSavepoint(job)
      } catch (error) {
        job.recover(error)
      }
    }
  })
  // BEGIN IMMEDIATE: the write lock is taken first, waiting (busy_timeout) for another process
  // that holds it, instead of a deferred BEGIN failing with SQLITE_BUSY_SNAPSHOT when that other
  // process commits between this transaction's first read and its first write.
  return (jobs) => writeAll.immediate(jobs)
}

export type Statements = ReturnType<typeof prepareStatements>

function prepareStatements(database: BetterSqlite3.Database) {
  const prepare = (source: string) => database.prepare(source)
  return {
    control: prepareControlStatements(database),
    leaseSession: database.prepare<[string, number, string, number, string], LeasedRow>(
      `UPDATE sessions SET lease_owner = ?, lease_until = ? WHERE id = ? AND (lease_until IS NULL OR lease_until < ? OR lease_owner = ?)
       RETURNING id, typebot_id, state, row_version, created_at, updated_at`,
    ),
    sessionExists: database.prepare<[string], { found: number }>('SELECT 1 AS found FROM sessions WHERE id = ?'),
    renewLease: prepare('UPDATE sessions SET lease_until = ? WHERE id = ? AND lease_owner = ?'),
    releaseLease: prepare('UPDATE sessions SET lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?'),
    createSession: prepare(
      'INSERT INTO sessions (id, typebot_id, state, row_version, created_at, updated_at, expires_at) VALUES (?, ?, ?, 1, ?, ?, ?)',
    ),
    // The lease of the writer goes with its write (SET reads the old row: both CASEs see the old owner).
    updateSession: prepare(
      `UPDATE sessions SET state = ?, row_version = row_version + 1, updated_at = ?, expires_at = ?,
        lease_owner = CASE WHEN lease_owner = ? THEN NULL ELSE lease_owner END,
        lease_until = CASE WHEN lease_owner = ? THEN NULL ELSE lease_until END
       WHERE id = ? AND row_version = ?`,
    ),
    deleteSession: prepare('DELETE FROM sessions WHERE id = ? AND row_version = ?'),
    upsertResult:
      prepare(`INSERT INTO results (id, typebot_id, variables, has_started, is_completed, is_archived, last_chat_session_id, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET variables = excluded.variables, has_started = excluded.has_started,
        is_completed = max(results.is_completed, excluded.is_completed),
        last_chat_session_id = coalesce(excluded.last_chat_session_id, results.last_chat_session_id), updated_at = excluded.updated_at`),
    insertAnswer: prepare(
      'INSERT INTO answers (id, result_id, block_id, content, attached_file_urls, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    insertLog: prepare('INSERT INTO logs (id, result_id, status, description, details, context, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    insertVisitedEdge: prepare(
      'INSERT INTO visited_edges (result_id, edge_id, idx) VALUES (?, ?, ?) ON CONFLICT (result_id, idx) DO NOTHING',
    ),
    insertHistoryItem: prepare(
      'INSERT INTO set_variable_history (result_id, idx, block_id, variable_id, block_index, value) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (result_id, idx) DO NOTHING',
    ),
  }
}

/** The session leased to `owner` (read by the same statement), 'busy' when another owner holds it, undefined when missing. */
export function leaseSessionWith(statements: Statements, id: string, owner: string, ttlMs: number): LeasedRow | 'busy' | undefined {
  const now = Date.now()
  const row = statements.leaseSession.get(owner, now + ttlMs, id, now, owner)
  if (row) return row
  return statements.sessionExists.get(id) ? 'busy' : undefined
}

export function renewLeaseWith(statements: Statements, id: string, owner: string, ttlMs: number): void {
  statements.renewLease.run(Date.now() + ttlMs, id, owner)
}

export function releaseLeaseWith(statements: Statements, id: string, owner: string): void {
  statements.releaseLease.run(id, owner)
}

/** Whether the session write matched its row version; the records are written only then. */
export function writeTurnWith(
  statements: Statements,
  write: SessionWrite,
  records: TurnRecordsWithControl,
  lastChatSessionId: string | undefined,
): boolean {
  const timestamp = new Date().toISOString()
  if (write.kind === 'create') {
    const { id, typebotId, state } = write.session
    statements.createSession.run(id, typebotId, JSON.stringify(state), timestamp, timestamp, expiresAtOf(state, timestamp))
  } else if (write.kind === 'delete') {
    if (statements.deleteSession.run(write.sessionId, write.expectedRowVersion).changes !== 1) return false
  } else {
    const owner = write.leaseOwner ?? null
    const { changes } = statements.updateSession.run(
      JSON.stringify(write.state),
      timestamp,
      expiresAtOf(write.state, timestamp),
      owner,
      owner,
      write.sessionId,
      write.expectedRowVersion,
    )
    if (changes !== 1) return false
  }
  // Results first: the other rows refer to them.
  for (const result of records.results) {
    const { id, typebotId, variables, hasStarted, isCompleted } = result
    statements.upsertResult.run(
      id,
      typebotId,
      JSON.stringify(variables),
      hasStarted ? 1 : 0,
      isCompleted ? 1 : 0,
      lastChatSessionId ?? null,
      timestamp,
      timestamp,
    )
  }
  for (const answer of records.answers) {
    const files = answer.attachedFileUrls ? JSON.stringify(answer.attachedFileUrls) : null
    statements.insertAnswer.run(newId(), answer.resultId, answer.blockId, answer.content, files, timestamp)
  }
  for (const log of records.logs) {
    statements.insertLog.run(
      newId(),
      log.resultId,
      log.status ?? 'error',
      log.description,
      truncateDetails(log.details),
      log.context ?? null,
      timestamp,
    )
  }
  for (const edge of records.visitedEdges) statements.insertVisitedEdge.run(edge.resultId, edge.edgeId, edge.index)
  for (const item of records.setVariableHistory) {
    statements.insertHistoryItem.run(
      item.resultId,
      item.index,
      item.blockId,
      item.variableId,
      item.blockIndex,
      JSON.stringify(item.value ?? null),
    )
  }
  if (records.control) writeControlRecords(statements.control, records.control)
  return true
}

/** Another process holds the write lock. */
export function isBusy(error: unknown): boolean {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' && error.code.startsWith('SQLITE_BUSY')
}

/** A racing creator of the same session id lost: a conflict (false), not a crash. */
export function isLostCreate(write: SessionWrite, error: unknown): boolean {
  return write.kind === 'create' && isUniqueViolation(error)
}
