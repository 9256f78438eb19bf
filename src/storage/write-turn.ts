import { sql, type Kysely, type Transaction } from 'kysely'
import { newId } from '../ids.js'
import type { TurnRecords } from '../engine/types.js'
import type { Database } from './database.js'
import type { SessionWrite } from './store.js'

type Db = Kysely<Database> | Transaction<Database>

/** Writes one turn's session change; false when the row version no longer matches (a racing writer won). */
export async function writeSession(trx: Db, write: SessionWrite): Promise<boolean> {
  const timestamp = now()
  if (write.kind === 'create') {
    await trx
      .insertInto('sessions')
      .values({ id: write.session.id, typebot_id: write.session.typebotId, state: JSON.stringify(write.session.state), row_version: 1, created_at: timestamp, updated_at: timestamp })
      .execute()
    return true
  }
  if (write.kind === 'delete') {
    const result = await trx.deleteFrom('sessions').where('id', '=', write.sessionId).where('row_version', '=', write.expectedRowVersion).executeTakeFirst()
    return Number(result.numDeletedRows) === 1
  }
  const result = await trx
    .updateTable('sessions')
    .set({ state: JSON.stringify(write.state), row_version: write.expectedRowVersion + 1, updated_at: timestamp })
    .where('id', '=', write.sessionId)
    .where('row_version', '=', write.expectedRowVersion)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/** Everything a turn produced besides the session: results first, then the rows that refer to them. */
export async function writeRecords(trx: Db, records: TurnRecords, lastChatSessionId: string | undefined) {
  const timestamp = now()
  for (const result of records.results) {
    const variables = JSON.stringify(result.variables)
    await trx
      .insertInto('results')
      .values({
        id: result.id,
        typebot_id: result.typebotId,
        variables,
        has_started: result.hasStarted ? 1 : 0,
        is_completed: result.isCompleted ? 1 : 0,
        is_archived: 0,
        last_chat_session_id: lastChatSessionId ?? null,
        created_at: timestamp,
        updated_at: timestamp,
      })
      .onConflict((oc) =>
        oc.column('id').doUpdateSet({
          variables,
          has_started: result.hasStarted ? 1 : 0,
          // Completion is only ever set, never reset (a result that once completed stays completed).
          is_completed: result.isCompleted ? 1 : sql<number>`results.is_completed`,
          last_chat_session_id: lastChatSessionId ?? sql<string | null>`results.last_chat_session_id`,
          updated_at: timestamp,
        }),
      )
      .execute()
  }
  if (records.answers.length > 0) {
    await trx
      .insertInto('answers')
      .values(
        records.answers.map((answer) => ({
          id: newId(),
          result_id: answer.resultId,
          block_id: answer.blockId,
          content: answer.content,
          attached_file_urls: answer.attachedFileUrls ? JSON.stringify(answer.attachedFileUrls) : null,
          created_at: timestamp,
        })),
      )
      .execute()
  }
  await insertLogs(trx, records.logs.map((log) => ({ ...log, status: log.status ?? 'error' })))
  if (records.visitedEdges.length > 0) {
    await trx
      .insertInto('visited_edges')
      .values(records.visitedEdges.map((edge) => ({ result_id: edge.resultId, edge_id: edge.edgeId, idx: edge.index })))
      .onConflict((oc) => oc.columns(['result_id', 'idx']).doNothing())
      .execute()
  }
  if (records.setVariableHistory.length > 0) {
    await trx
      .insertInto('set_variable_history')
      .values(
        records.setVariableHistory.map((item) => ({
          result_id: item.resultId,
          idx: item.index,
          block_id: item.blockId,
          variable_id: item.variableId,
          block_index: item.blockIndex,
          value: JSON.stringify(item.value ?? null),
        })),
      )
      .onConflict((oc) => oc.columns(['result_id', 'idx']).doNothing())
      .execute()
  }
}

export async function insertLogs(db: Db, logs: { resultId: string; status: string; description: string; details?: string; context?: string }[]) {
  if (logs.length === 0) return
  const timestamp = now()
  await db
    .insertInto('logs')
    .values(
      logs.map((log) => ({
        id: newId(),
        result_id: log.resultId,
        status: log.status,
        description: log.description,
        details: truncateDetails(log.details),
        context: log.context ?? null,
        created_at: timestamp,
      })),
    )
    .execute()
}

/** Typebot keeps the first 1000 characters of long details followed by "..." (§3.8.3). */
export function truncateDetails(details: string | undefined): string | null {
  if (details === undefined) return null
  return details.length > 999 ? `${details.slice(0, 1000)}...` : details
}

export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  const code = (error as { code?: unknown }).code
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
}


function now() {
  return new Date().toISOString()
}
