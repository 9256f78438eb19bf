import type pg from 'pg'
import { newId } from '../ids.js'
import { postgresControlParams, postgresControlParts, type TurnRecordsWithControl } from './control-records.js'
import type { Database } from './database.js'
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

const leaseStatement = statement(
  'lease_session',
  `UPDATE sessions SET lease_owner = @owner, lease_until = ${dbNowMs} + @ttlMs::bigint
   WHERE id = @id AND ${commitWithoutFlush} AND (lease_until IS NULL OR lease_until < ${dbNowMs} OR lease_owner = @owner)
   RETURNING ${sessionColumns}`,
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
 * The rows of a turn, as arrays: one statement text whatever the turn writes, so it is prepared once per
 * connection. Each insert selects from the session CTE `s`, so nothing is written unless the session
 * write matched its row version; a single statement is atomic by itself.
 */
const recordParts = [
  `r AS (INSERT INTO results (id, typebot_id, variables, has_started, is_completed, is_archived, last_chat_session_id, created_at, updated_at)
    SELECT x.id, x.typebot_id, x.variables, x.has_started, x.is_completed, 0, @lastChatSessionId::text, @ts::text, @ts::text
    FROM unnest(@resultIds::text[], @resultTypebotIds::text[], @resultVariables::text[], @resultStarted::integer[], @resultCompleted::integer[])
      AS x(id, typebot_id, variables, has_started, is_completed) CROSS JOIN s
    ON CONFLICT (id) DO UPDATE SET variables = excluded.variables, has_started = excluded.has_started,
      is_completed = GREATEST(results.is_completed, excluded.is_completed),
      last_chat_session_id = COALESCE(excluded.last_chat_session_id, results.last_chat_session_id), updated_at = excluded.updated_at)`,
  `a AS (INSERT INTO answers (id, result_id, block_id, content, attached_file_urls, created_at)
    SELECT x.id, x.result_id, x.block_id, x.content, x.files, @ts::text
    FROM unnest(@answerIds::text[], @answerResultIds::text[], @answerBlockIds::text[], @answerContents::text[], @answerFiles::text[])
      WITH ORDINALITY AS x(id, result_id, block_id, content, files, ord) CROSS JOIN s ORDER BY x.ord)`,
  `l AS (INSERT INTO logs (id, result_id, status, description, details, context, created_at)
    SELECT x.id, x.result_id, x.status, x.description, x.details, x.context, @ts::text
    FROM unnest(@logIds::text[], @logResultIds::text[], @logStatuses::text[], @logDescriptions::text[], @logDetails::text[], @logContexts::text[])
      WITH ORDINALITY AS x(id, result_id, status, description, details, context, ord) CROSS JOIN s ORDER BY x.ord)`,
  `e AS (INSERT INTO visited_edges (result_id, edge_id, idx)
    SELECT x.result_id, x.edge_id, x.idx FROM unnest(@edgeResultIds::text[], @edgeIds::text[], @edgeIndexes::integer[]) AS x(result_id, edge_id, idx) CROSS JOIN s
    ON CONFLICT (result_id, idx) DO NOTHING)`,
  `h AS (INSERT INTO set_variable_history (result_id, idx, block_id, variable_id, block_index, value)
    SELECT x.result_id, x.idx, x.block_id, x.variable_id, x.block_index, x.value
    FROM unnest(@historyResultIds::text[], @historyIndexes::integer[], @historyBlockIds::text[], @historyVariableIds::text[], @historyBlockIndexes::integer[], @historyValues::text[])
      AS x(result_id, idx, block_id, variable_id, block_index, value) CROSS JOIN s
    ON CONFLICT (result_id, idx) DO NOTHING)`,
]

const sessionParts: Record<SessionWrite['kind'], string> = {
  // A racing creator of the same id finds the row taken: no row in `s`, so the turn is refused.
  create: `INSERT INTO sessions (id, typebot_id, state, row_version, created_at, updated_at, expires_at)
    VALUES (@id, @typebotId, @state, 1, @ts, @ts, @expiresAt::text) ON CONFLICT (id) DO NOTHING RETURNING id`,
  // The lease of the writer is released by its write (SET reads the old row, so both CASEs see the old owner).
  update: `UPDATE sessions SET state = @state, row_version = row_version + 1, updated_at = @ts, expires_at = @expiresAt::text,
      lease_owner = CASE WHEN lease_owner = @leaseOwner::text THEN NULL ELSE lease_owner END,
      lease_until = CASE WHEN lease_owner = @leaseOwner::text THEN NULL ELSE lease_until END
    WHERE id = @id AND row_version = @expectedRowVersion::integer RETURNING id`,
  delete: 'DELETE FROM sessions WHERE id = @id AND row_version = @expectedRowVersion::integer RETURNING id',
}

const turnStatement = (kind: SessionWrite['kind']) =>
  statement(
    `turn_${kind}`,
    `WITH s AS (${sessionParts[kind]}), ${[...recordParts, ...postgresControlParts].join(', ')} SELECT count(*)::integer AS written FROM s`,
  )
const turnStatements: Record<SessionWrite['kind'], Statement> = {
  create: turnStatement('create'),
  update: turnStatement('update'),
  delete: turnStatement('delete'),
}

type SessionRow = Database['sessions']

/**
 * PostgreSQL's chat hot path, on the pool directly: Kysely cannot name (prepare) statements, and a
 * statement prepared once per connection skips PostgreSQL's parse and plan on every turn.
 */
export class PostgresTurns {
  constructor(private readonly pool: pg.Pool) {}

  async leaseSession(id: string, owner: string, ttlMs: number): Promise<SessionRow | 'busy' | undefined> {
    const { rows } = await this.run<SessionRow>(leaseStatement, { id: replaceNul(id), owner, ttlMs })
    if (rows[0]) return rows[0]
    const exists = await this.run(existsStatement, { id: replaceNul(id) })
    return exists.rows.length > 0 ? 'busy' : undefined
  }

  async renewLease(id: string, owner: string, ttlMs: number): Promise<void> {
    await this.run(renewStatement, { id: replaceNul(id), owner, ttlMs })
  }

  async releaseLease(id: string, owner: string): Promise<void> {
    await this.run(releaseStatement, { id: replaceNul(id), owner })
  }

  async commitTurn(write: SessionWrite, records: TurnRecordsWithControl, lastChatSessionId: string | undefined): Promise<boolean> {
    const ts = new Date().toISOString()
    const { rows } = await this.run<{ written: number }>(turnStatements[write.kind], {
      ...sessionParams(write, ts),
      ...recordParams(records, ts, lastChatSessionId),
      ...postgresControlParams(records.control),
    })
    return rows[0]?.written === 1
  }

  private run<Row extends object = Record<string, unknown>>(target: Statement, params: Record<string, unknown>) {
    return this.pool.query<Row>({ name: target.name, text: target.text, values: target.params.map((param) => params[param]) })
  }
}

function sessionParams(write: SessionWrite, ts: string): Record<string, unknown> {
  if (write.kind === 'create') {
    const { id, typebotId, state } = write.session
    return { id: replaceNul(id), typebotId, state: replaceNul(JSON.stringify(state)), ts, expiresAt: expiresAtOf(state, ts) }
  }
  if (write.kind === 'delete') return { id: replaceNul(write.sessionId), expectedRowVersion: write.expectedRowVersion }
  return {
    id: replaceNul(write.sessionId),
    state: replaceNul(JSON.stringify(write.state)),
    ts,
    expiresAt: expiresAtOf(write.state, ts),
    leaseOwner: write.leaseOwner ?? null,
    expectedRowVersion: write.expectedRowVersion,
  }
}

function recordParams(records: TurnRecordsWithControl, ts: string, lastChatSessionId: string | undefined): Record<string, unknown> {
  // ON CONFLICT DO UPDATE may not touch one row twice in a statement: the last write of a result wins.
  const results = [...new Map(records.results.map((result) => [result.id, result])).values()]
  const text = (value: string) => replaceNul(value)
  const orNull = (value: string | undefined | null) => (value === undefined || value === null ? null : replaceNul(value))
  return {
    ts,
    lastChatSessionId: orNull(lastChatSessionId),
    resultIds: results.map((result) => text(result.id)),
    resultTypebotIds: results.map((result) => text(result.typebotId)),
    resultVariables: results.map((result) => text(JSON.stringify(result.variables))),
    resultStarted: results.map((result) => (result.hasStarted ? 1 : 0)),
    resultCompleted: results.map((result) => (result.isCompleted ? 1 : 0)),
    answerIds: records.answers.map(() => newId()),
    answerResultIds: records.answers.map((answer) => text(answer.resultId)),
    answerBlockIds: records.answers.map((answer) => text(answer.blockId)),
    answerContents: records.answers.map((answer) => text(answer.content)),
    answerFiles: records.answers.map((answer) => (answer.attachedFileUrls ? text(JSON.stringify(answer.attachedFileUrls)) : null)),
    logIds: records.logs.map(() => newId()),
    logResultIds: records.logs.map((log) => text(log.resultId)),
    logStatuses: records.logs.map((log) => text(log.status ?? 'error')),
    logDescriptions: records.logs.map((log) => text(log.description)),
    logDetails: records.logs.map((log) => orNull(truncateDetails(log.details))),
    logContexts: records.logs.map((log) => orNull(log.context)),
    edgeResultIds: records.visitedEdges.map((edge) => text(edge.resultId)),
    edgeIds: records.visitedEdges.map((edge) => text(edge.edgeId)),
    edgeIndexes: records.visitedEdges.map((edge) => edge.index),
    historyResultIds: records.setVariableHistory.map((item) => text(item.resultId)),
    historyIndexes: records.setVariableHistory.map((item) => item.index),
    historyBlockIds: records.setVariableHistory.map((item) => text(item.blockId)),
    historyVariableIds: records.setVariableHistory.map((item) => text(item.variableId)),
    historyBlockIndexes: records.setVariableHistory.map((item) => item.blockIndex),
    historyValues: records.setVariableHistory.map((item) => text(JSON.stringify(item.value ?? null))),
  }
}
