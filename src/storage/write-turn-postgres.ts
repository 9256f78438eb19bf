import { type Kysely, type RawBuilder, sql } from 'kysely'
import type { TurnRecords } from '../engine/types.js'
import { newId } from '../ids.js'
import type { Database } from './database.js'
import type { SessionWrite } from './store.js'
import { truncateDetails } from './write-rules.js'

/**
 * PostgreSQL: a whole turn in ONE statement. Each row is a data-modifying CTE that selects from
 * the session CTE `s`, so nothing is written unless the session write matched its row version; a
 * single statement is atomic by itself. Six round trips (BEGIN, writes, COMMIT) become one, and
 * round trips, not the writes, are what a turn costs on PostgreSQL.
 */
export async function commitTurnInOneStatement(
  db: Kysely<Database>,
  write: SessionWrite,
  records: TurnRecords,
  lastChatSessionId: string | undefined,
): Promise<boolean> {
  const timestamp = new Date().toISOString()
  const ctes: RawBuilder<unknown>[] = [sql`s AS (${sessionStatement(write, timestamp)})`]
  const add = (statement: RawBuilder<unknown>) => ctes.push(sql`${sql.raw(`w${ctes.length}`)} AS (${statement})`)

  for (const result of records.results) {
    add(sql`INSERT INTO results (id, typebot_id, variables, has_started, is_completed, is_archived, last_chat_session_id, created_at, updated_at)
      SELECT ${result.id}, ${result.typebotId}, ${JSON.stringify(result.variables)}, ${result.hasStarted ? 1 : 0}::integer, ${result.isCompleted ? 1 : 0}::integer, 0, ${lastChatSessionId ?? null}::text, ${timestamp}, ${timestamp} FROM s
      ON CONFLICT (id) DO UPDATE SET variables = excluded.variables, has_started = excluded.has_started,
        is_completed = GREATEST(results.is_completed, excluded.is_completed),
        last_chat_session_id = COALESCE(excluded.last_chat_session_id, results.last_chat_session_id), updated_at = excluded.updated_at`)
  }
  for (const answer of records.answers) {
    const files = answer.attachedFileUrls ? JSON.stringify(answer.attachedFileUrls) : null
    add(sql`INSERT INTO answers (id, result_id, block_id, content, attached_file_urls, created_at)
      SELECT ${newId()}, ${answer.resultId}, ${answer.blockId}, ${answer.content}, ${files}::text, ${timestamp} FROM s`)
  }
  for (const log of records.logs) {
    add(sql`INSERT INTO logs (id, result_id, status, description, details, context, created_at)
      SELECT ${newId()}, ${log.resultId}, ${log.status ?? 'error'}, ${log.description}, ${truncateDetails(log.details)}::text, ${log.context ?? null}::text, ${timestamp} FROM s`)
  }
  for (const edge of records.visitedEdges) {
    add(sql`INSERT INTO visited_edges (result_id, edge_id, idx) SELECT ${edge.resultId}, ${edge.edgeId}, ${edge.index}::integer FROM s
      ON CONFLICT (result_id, idx) DO NOTHING`)
  }
  for (const item of records.setVariableHistory) {
    add(sql`INSERT INTO set_variable_history (result_id, idx, block_id, variable_id, block_index, value)
      SELECT ${item.resultId}, ${item.index}::integer, ${item.blockId}, ${item.variableId}, ${item.blockIndex}::integer, ${JSON.stringify(item.value ?? null)} FROM s
      ON CONFLICT (result_id, idx) DO NOTHING`)
  }
  const { rows } = await sql<{ written: number }>`WITH ${sql.join(ctes, sql`, `)} SELECT count(*)::integer AS written FROM s`.execute(db)
  return rows[0]?.written === 1
}

function sessionStatement(write: SessionWrite, timestamp: string): RawBuilder<unknown> {
  if (write.kind === 'create') {
    const { id, typebotId, state } = write.session
    // A racing creator of the same id finds the row taken: no row in `s`, so the turn is refused.
    return sql`INSERT INTO sessions (id, typebot_id, state, row_version, created_at, updated_at)
      VALUES (${id}, ${typebotId}, ${JSON.stringify(state)}, 1, ${timestamp}, ${timestamp}) ON CONFLICT (id) DO NOTHING RETURNING id`
  }
  if (write.kind === 'delete') {
    return sql`DELETE FROM sessions WHERE id = ${write.sessionId} AND row_version = ${write.expectedRowVersion} RETURNING id`
  }
  return sql`UPDATE sessions SET state = ${JSON.stringify(write.state)}, row_version = ${write.expectedRowVersion + 1}, updated_at = ${timestamp}
    WHERE id = ${write.sessionId} AND row_version = ${write.expectedRowVersion} RETURNING id`
}
