import type pg from 'pg'
import { newId } from '../ids.js'
import { postgresControlParams, postgresControlParts, type TurnRecordsWithControl } from './control-records.js'
import type { Database } from './database.js'
import { PostgresBatcher } from './postgres-batcher.js'
import { replaceNul } from './replace-nul-plugin.js'
import type { SessionWrite } from './store.js'
import { expiresAtOf, truncateDetails } from './write-rules.js'

/** The database's clock in epoch ms: every machine of a deployment compares leases against the same time. */
const dbNowMs = '(extract(epoch from clock_timestamp()) * 1000)::bigint'
/**
 * Lease statements commit without waiting for the WAL flush: a lease lost in a PostgreSQL crash was
 * simply never taken, and the turn write that follows (synchronous) flushes it anyway. Measured on
 * 2 cores: a synchronous lease cost a third of the turns per second, an asynchronous one about a tenth.
 */
const commitWithoutFlush = `set_config('synchronous_commit', 'off', true) IS NOT NULL`
const sessionColumns = 'id, typebot_id, state, row_version, created_at, updated_at'

type Statement = { name: string; text: string; params: readonly string[] }

/** `@name` placeholders become `$n`, so each statement lists its parameters once, by name. */
function statement(name: string, source: string): Statement {
  const params: string[] = []
  const text = source.replace(/@(\w+)/g, (_, param: string) => {
    if (!params.includes(param)) params.push(param)
    return `$${params.indexOf(param) + 1}`
  })
  return { name: `botflow_${name}`, text, params }
}

/** Session columns as the lease statement returns them (`sessions.` is ambiguous beside its unnest). */
const leasedColumns = sessionColumns
  .split(', ')
  .map((column) => `sessions.${column}`)
  .join(', ')

/** Leases many sessions in one statement (a batch of calls, see postgres-batcher.ts); the rows leased come back. */
const leaseStatement = statement(
  'lease_sessions',
  `UPDATE sessions SET lease_owner = t.owner, lease_until = ${dbNowMs} + t.ttl_ms
   FROM unnest(@ids::text[], @owners::text[], @ttlMs::bigint[]) AS t(id, owner, ttl_ms)
   WHERE sessions.id = t.id AND ${commitWithoutFlush}
     AND (sessions.lease_until IS NULL OR sessions.lease_until < ${dbNowMs} OR sessions.lease_owner = t.owner)
   RETURNING ${leasedColumns}`,
)
const existsStatement = statement('session_exists', 'SELECT 1 AS found FROM sessions WHERE id = @id')
const renewStatement = statement(
  'renew_session_lease',
  `UPDATE sessions SET lease_until = ${dbNowMs} + @ttlMs::bigint WHERE id = @id AND lease_owner = @owner AND ${commitWithoutFlush}`,
)
const releaseStatement = statement(
  'release_session_lease',
  `UPDATE sessions SET lease_owner = NULL, lease_until = NULL WHERE id = @id AND lease_owner = @owner AND ${commitWithoutFlush}`,
)

/**
 * The rows of a batch of turns, as arrays: one statement text whatever the turns write, so it is
 * prepared once per connection. Every row carries the id of its turn's session (`turn`) and is
 * written only when that session's write matched its row version (the join with the session CTE
 * `s`): each turn is all or nothing, and a single statement is atomic by itself.
 */
const recordParts = [
  `r AS (INSERT INTO results (id, typebot_id, variables, has_started, is_completed, is_archived, last_chat_session_id, created_at, updated_at)
    SELECT x.id, x.typebot_id, x.variables, x.has_started, x.is_completed, 0, x.last_chat_session_id, @ts::text, @ts::text
    FROM unnest(@resultTurns::text[], @resultIds::text[], @resultTypebotIds::text[], @resultVariables::text[], @resultStarted::integer[],
        @resultCompleted::integer[], @resultLastChatSessionIds::text[])
      AS x(turn, id, typebot_id, variables, has_started, is_completed, last_chat_session_id) JOIN s ON s.id = x.turn
    ON CONFLICT (id) DO UPDATE SET variables = excluded.variables, has_started = excluded.has_started,
      is_completed = GREATEST(results.is_completed, excluded.is_completed),
      last_chat_session_id = COALESCE(excluded.last_chat_session_id, results.last_chat_session_id), updated_at = excluded.updated_at)`,
  `a AS (INSERT INTO answers (id, result_id, block_id, content, attached_file_urls, created_at)
    SELECT x.id, x.result_id, x.block_id, x.content, x.files, @ts::text
    FROM unnest(@answerTurns::text[], @answerIds::text[], @answerResultIds::text[], @answerBlockIds::text[], @answerContents::text[], @answerFiles::text[])
      WITH ORDINALITY AS x(turn, id, result_id, block_id, content, files, ord) JOIN s ON s.id = x.turn ORDER BY x.ord)`,
  `l AS (INSERT INTO logs (id, result_id, status, description, details, context, created_at)
    SELECT x.id, x.result_id, x.status, x.description, x.details, x.context, @ts::text
    FROM unnest(@logTurns::text[], @logIds::text[], @logResultIds::text[], @logStatuses::text[], @logDescriptions::text[], @logDetails::text[], @logContexts::text[])
      WITH ORDINALITY AS x(turn, id, result_id, status, description, details, context, ord) JOIN s ON s.id = x.turn ORDER BY x.ord)`,
  `e AS (INSERT INTO visited_edges (result_id, edge_id, idx)
    SELECT x.result_id, x.edge_id, x.idx
    FROM unnest(@edgeTurns::text[], @edgeResultIds::text[], @edgeIds::text[], @edgeIndexes::integer[]) AS x(turn, result_id, edge_id, idx)
      JOIN s ON s.id = x.turn
    ON CONFLICT (result_id, idx) DO NOTHING)`,
  `h AS (INSERT INTO set_variable_history (result_id, idx, block_id, variable_id, block_index, value)
    SELECT x.result_id, x.idx, x.block_id, x.variable_id, x.block_index, x.value
    FROM unnest(@historyTurns::text[], @historyResultIds::text[], @historyIndexes::integer[], @historyBlockIds::text[], @historyVariableIds::text[],
        @historyBlockIndexes::integer[], @historyValues::text[])
      AS x(turn, result_id, idx, block_id, variable_id, block_index, value) JOIN s ON s.id = x.turn
    ON CONFLICT (result_id, idx) DO NOTHING)`,
]

const sessionParts: Record<SessionWrite['kind'], string> = {
  // A racing creator of the same id finds the row taken: no row in `s`, so that turn is refused.
  create: `INSERT INTO sessions (id, typebot_id, state, row_version, created_at, updated_at, expires_at)
    SELECT t.id, t.typebot_id, t.state, 1, @ts::text, @ts::text, t.expires_at
    FROM unnest(@ids::text[], @typebotIds::text[], @states::text[], @expiresAts::text[]) AS t(id, typebot_id, state, expires_at)
    ON CONFLICT (id) DO NOTHING RETURNING id`,
  // The lease of the writer is released by its write (SET reads the old row, so both CASEs see the old owner).
  update: `UPDATE sessions SET state = t.state, row_version = sessions.row_version + 1, updated_at = @ts, expires_at = t.expires_at,
      lease_owner = CASE WHEN sessions.lease_owner = t.lease_owner THEN NULL ELSE sessions.lease_owner END,
      lease_until = CASE WHEN sessions.lease_owner = t.lease_owner THEN NULL ELSE sessions.lease_until END
    FROM unnest(@ids::text[], @states::text[], @expiresAts::text[], @leaseOwners::text[], @expectedRowVersions::integer[])
      AS t(id, state, expires_at, lease_owner, expected_row_version)
    WHERE sessions.id = t.id AND sessions.row_version = t.expected_row_version RETURNING sessions.id`,
  delete: `DELETE FROM sessions USING unnest(@ids::text[], @expectedRowVersions::integer[]) AS t(id, expected_row_version)
    WHERE sessions.id = t.id AND sessions.row_version = t.expected_row_version RETURNING sessions.id`,
}

const turnStatement = (kind: SessionWrite['kind']) =>
  statement(`turns_${kind}`, `WITH s AS (${sessionParts[kind]}), ${[...recordParts, ...postgresControlParts].join(', ')} SELECT id FROM s`)
const turnStatements: Record<SessionWrite['kind'], Statement> = {
  create: turnStatement('create'),
  update: turnStatement('update'),
  delete: turnStatement('delete'),
}

type SessionRow = Database['sessions']
type LeaseCall = { id: string; owner: string; ttlMs: number }
type TurnCall = { write: SessionWrite; records: TurnRecordsWithControl; lastChatSessionId: string | undefined }

/**
 * Lease statements and turns of each kind: one batch of each on the wire at a time, so the calls that
 * arrive meanwhile make the next batch bigger. Measured on 2 cores at 16 connections: one batch in
 * flight gave continueChat ~30% more turns per second than two, at 1 and 64 connections no less.
 */
const batchOptions = { maxInFlight: 1, maxItems: 64 }

/**
 * PostgreSQL's chat hot path, on the pool directly: Kysely cannot name (prepare) statements, and a
 * statement prepared once per connection skips PostgreSQL's parse and plan on every turn (the pool
 * asks for generic plans, see create-store.ts). Leases and turns of concurrent requests go in
 * batches (postgres-batcher.ts).
 */
export class PostgresTurns {
  private readonly leases: PostgresBatcher<LeaseCall, SessionRow | undefined>
  private readonly turns: Record<SessionWrite['kind'], PostgresBatcher<TurnCall, boolean>>

  constructor(private readonly pool: pg.Pool) {
    this.leases = new PostgresBatcher((calls) => this.leaseBatch(calls), { ...batchOptions, keyOf: (call) => call.id })
    const turnBatcher = (kind: SessionWrite['kind']) =>
      new PostgresBatcher<TurnCall, boolean>((calls) => this.turnBatch(kind, calls), {
        ...batchOptions,
        keyOf: (call) => replaceNul(sessionIdOf(call.write)),
      })
    this.turns = { create: turnBatcher('create'), update: turnBatcher('update'), delete: turnBatcher('delete') }
  }

  async leaseSession(id: string, owner: string, ttlMs: number): Promise<SessionRow | 'busy' | undefined> {
    const leased = await this.leases.submit({ id: replaceNul(id), owner, ttlMs })
    if (leased) return leased
    const exists = await this.run(existsStatement, { id: replaceNul(id) })
    return exists.rows.length > 0 ? 'busy' : undefined
  }

  async renewLease(id: string, owner: string, ttlMs: number): Promise<void> {
    await this.run(renewStatement, { id: replaceNul(id), owner, ttlMs })
  }

  async releaseLease(id: string, owner: string): Promise<void> {
    await this.run(releaseStatement, { id: replaceNul(id), owner })
  }

  commitTurn(write: SessionWrite, records: TurnRecordsWithControl, lastChatSessionId: string | undefined): Promise<boolean> {
    return this.turns[write.kind].submit({ write, records, lastChatSessionId })
  }

  private async leaseBatch(calls: LeaseCall[]): Promise<(SessionRow | undefined)[]> {
    // Ids in the same order in every process, so two batches lock shared rows in the same order as a rule; a deadlock
    // PostgreSQL breaks anyway fails one batch, which then runs call by call.
    const ordered = [...calls].sort((left, right) => (left.id < right.id ? -1 : left.id > right.id ? 1 : 0))
    const { rows } = await this.run<SessionRow>(leaseStatement, {
      ids: ordered.map((call) => call.id),
      owners: ordered.map((call) => call.owner),
      ttlMs: ordered.map((call) => call.ttlMs),
    })
    const byId = new Map(rows.map((row) => [row.id, row]))
    return calls.map((call) => byId.get(call.id))
  }

  private async turnBatch(kind: SessionWrite['kind'], calls: TurnCall[]): Promise<boolean[]> {
    const ts = new Date().toISOString()
    // Sorted by session id for the same reason as leases.
    const ordered = calls
      .map((call) => ({ ...call, id: replaceNul(sessionIdOf(call.write)) }))
      .sort((left, right) => (left.id < right.id ? -1 : left.id > right.id ? 1 : 0))
    const { rows } = await this.run<{ id: string }>(turnStatements[kind], {
      ts,
      ...sessionParams(
        ordered.map((call) => call.write),
        ts,
      ),
      ...recordParams(ordered),
      ...postgresControlParams(ordered.map((call) => ({ turn: call.id, control: call.records.control }))),
    })
    const written = new Set(rows.map((row) => row.id))
    return calls.map((call) => written.has(replaceNul(sessionIdOf(call.write))))
  }

  private run<Row extends object = Record<string, unknown>>(target: Statement, params: Record<string, unknown>) {
    return this.pool.query<Row>({ name: target.name, text: target.text, values: target.params.map((param) => params[param]) })
  }
}

function sessionIdOf(write: SessionWrite): string {
  return write.kind === 'create' ? write.session.id : write.sessionId
}

/** The session columns of a batch of writes of one kind, as arrays. */
function sessionParams(writes: SessionWrite[], ts: string): Record<string, unknown> {
  const ids = writes.map((write) => replaceNul(sessionIdOf(write)))
  const creates = writes.flatMap((write) => (write.kind === 'create' ? [write.session] : []))
  const updates = writes.flatMap((write) => (write.kind === 'update' ? [write] : []))
  const deletes = writes.flatMap((write) => (write.kind === 'delete' ? [write] : []))
  if (creates.length === writes.length) {
    return {
      ids,
      typebotIds: creates.map((session) => session.typebotId),
      states: creates.map((session) => replaceNul(JSON.stringify(session.state))),
      expiresAts: creates.map((session) => expiresAtOf(session.state, ts)),
    }
  }
  if (deletes.length === writes.length) return { ids, expectedRowVersions: deletes.map((write) => write.expectedRowVersion) }
  if (updates.length !== writes.length) throw new Error('a batch of turns mixes kinds of session writes')
  return {
    ids,
    states: updates.map((write) => replaceNul(JSON.stringify(write.state))),
    expiresAts: updates.map((write) => expiresAtOf(write.state, ts)),
    leaseOwners: updates.map((write) => write.leaseOwner ?? null),
    expectedRowVersions: updates.map((write) => write.expectedRowVersion),
  }
}

/** Every row of every turn, each array beside one of the session ids (`turn`) it belongs to. */
function recordParams(
  turns: { id: string; records: TurnRecordsWithControl; lastChatSessionId: string | undefined }[],
): Record<string, unknown> {
  const text = (value: string) => replaceNul(value)
  const orNull = (value: string | undefined | null) => (value === undefined || value === null ? null : replaceNul(value))
  const rows = <Row>(pick: (records: TurnRecordsWithControl) => readonly Row[]) =>
    turns.flatMap((turn) => pick(turn.records).map((row) => ({ turn, row })))
  // ON CONFLICT DO UPDATE may not touch one row twice in a statement: the last write of a result in a turn wins
  // (two turns of one batch writing the same result fail the batch, which then runs turn by turn).
  const results = turns.flatMap((turn) =>
    [...new Map(turn.records.results.map((result) => [result.id, result])).values()].map((row) => ({ turn, row })),
  )
  const answers = rows((records) => records.answers)
  const logs = rows((records) => records.logs)
  const edges = rows((records) => records.visitedEdges)
  const history = rows((records) => records.setVariableHistory)
  return {
    resultTurns: results.map(({ turn }) => turn.id),
    resultIds: results.map(({ row }) => text(row.id)),
    resultTypebotIds: results.map(({ row }) => text(row.typebotId)),
    resultVariables: results.map(({ row }) => text(JSON.stringify(row.variables))),
    resultStarted: results.map(({ row }) => (row.hasStarted ? 1 : 0)),
    resultCompleted: results.map(({ row }) => (row.isCompleted ? 1 : 0)),
    resultLastChatSessionIds: results.map(({ turn }) => orNull(turn.lastChatSessionId)),
    answerTurns: answers.map(({ turn }) => turn.id),
    answerIds: answers.map(() => newId()),
    answerResultIds: answers.map(({ row }) => text(row.resultId)),
    answerBlockIds: answers.map(({ row }) => text(row.blockId)),
    answerContents: answers.map(({ row }) => text(row.content)),
    answerFiles: answers.map(({ row }) => (row.attachedFileUrls ? text(JSON.stringify(row.attachedFileUrls)) : null)),
    logTurns: logs.map(({ turn }) => turn.id),
    logIds: logs.map(() => newId()),
    logResultIds: logs.map(({ row }) => text(row.resultId)),
    logStatuses: logs.map(({ row }) => text(row.status ?? 'error')),
    logDescriptions: logs.map(({ row }) => text(row.description)),
    logDetails: logs.map(({ row }) => orNull(truncateDetails(row.details))),
    logContexts: logs.map(({ row }) => orNull(row.context)),
    edgeTurns: edges.map(({ turn }) => turn.id),
    edgeResultIds: edges.map(({ row }) => text(row.resultId)),
    edgeIds: edges.map(({ row }) => text(row.edgeId)),
    edgeIndexes: edges.map(({ row }) => row.index),
    historyTurns: history.map(({ turn }) => turn.id),
    historyResultIds: history.map(({ row }) => text(row.resultId)),
    historyIndexes: history.map(({ row }) => row.index),
    historyBlockIds: history.map(({ row }) => text(row.blockId)),
    historyVariableIds: history.map(({ row }) => text(row.variableId)),
    historyBlockIndexes: history.map(({ row }) => row.blockIndex),
    historyValues: history.map(({ row }) => text(JSON.stringify(row.value ?? null))),
  }
}
