import type BetterSqlite3 from 'better-sqlite3'
import type { TurnRecords } from '../engine/types.js'
import { newId } from '../ids.js'
import type { SessionWrite } from './store.js'
import { isUniqueViolation, truncateDetails } from './write-rules.js'

export type TurnJob = { write: SessionWrite; records: TurnRecords; lastChatSessionId: string | undefined }
export type TurnOutcome = { isWritten: boolean } | { error: unknown }

/**
 * SQLite: the turns of a group commit, written synchronously with statements prepared once. On
 * the chat hot path, building each query with Kysely and awaiting it cost more than SQLite's own
 * work; better-sqlite3 is synchronous anyway, so the whole batch runs as one call. The SQL says
 * what the PostgreSQL one-statement turn says (`write-turn-postgres.ts`); the store contract
 * tests hold both to the same behaviour.
 */
export class SqliteTurnWriter {
  private writeBatch: ((jobs: TurnJob[]) => TurnOutcome[]) | undefined

  constructor(private readonly database: BetterSqlite3.Database) {}

  /** False while another transaction is open on the connection (a Kysely one awaiting its next query). */
  canWrite(): boolean {
    return !this.database.inTransaction
  }

  /** One transaction for all the turns, a savepoint each; throws only when the transaction itself fails. */
  write(jobs: TurnJob[]): TurnOutcome[] {
    // Prepared on first use: the tables exist only once the migrations have run.
    this.writeBatch ??= prepareBatch(this.database)
    return this.writeBatch(jobs)
  }
}

function prepareBatch(database: BetterSqlite3.Database): (jobs: TurnJob[]) => TurnOutcome[] {
  const statements = prepareStatements(database)
  // better-sqlite3 runs a transaction function called inside another as a savepoint: a turn
  // that throws is undone alone, and the other turns of the batch still commit.
  const writeTurn = database.transaction((job: TurnJob) => writeTurnWith(statements, job))
  const writeAll = database.transaction((jobs: TurnJob[]) =>
    jobs.map((job): TurnOutcome => {
      try {
        return { isWritten: writeTurn(job) }
      } catch (error) {
        // A racing creator of the same session id lost: a conflict, not a crash.
        if (job.write.kind === 'create' && isUniqueViolation(error)) return { isWritten: false }
        return { error }
      }
    }),
  )
  // BEGIN IMMEDIATE: the write lock is taken first, waiting (busy_timeout) for another process
  // that holds it, instead of a deferred BEGIN failing with SQLITE_BUSY_SNAPSHOT when that other
  // process commits between this transaction's first read and its first write.
  return (jobs) => writeAll.immediate(jobs)
}

type Statements = ReturnType<typeof prepareStatements>

function prepareStatements(database: BetterSqlite3.Database) {
  const prepare = (source: string) => database.prepare(source)
  return {
    createSession: prepare('INSERT INTO sessions (id, typebot_id, state, row_version, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?)'),
    updateSession: prepare('UPDATE sessions SET state = ?, row_version = ?, updated_at = ? WHERE id = ? AND row_version = ?'),
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

/** Whether the session write matched its row version; the records are written only then. */
function writeTurnWith(statements: Statements, { write, records, lastChatSessionId }: TurnJob): boolean {
  const timestamp = new Date().toISOString()
  if (write.kind === 'create') {
    statements.createSession.run(write.session.id, write.session.typebotId, JSON.stringify(write.session.state), timestamp, timestamp)
  } else if (write.kind === 'delete') {
    if (statements.deleteSession.run(write.sessionId, write.expectedRowVersion).changes !== 1) return false
  } else {
    const { changes } = statements.updateSession.run(
      JSON.stringify(write.state),
      write.expectedRowVersion + 1,
      timestamp,
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
  return true
}
