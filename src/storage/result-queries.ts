import type { Kysely } from 'kysely'
import { newId } from '../ids.js'
import type { Database } from './database.js'
import { toAnswer, toLog, toResult } from './row-mappers.js'
import type { AnswerRecord, LogRecord, Store } from './store.js'
import { now, truncateDetails } from './write-rules.js'

/** Results and what a conversation left in them: answers, logs, visited edges, variable history. */
export type ResultQueries = Pick<
  Store,
  'findResult' | 'listResults' | 'listAnswers' | 'listLogs' | 'addLogs' | 'listVisitedEdges' | 'listSetVariableHistory' | 'deleteResults'
>

export function createResultQueries(db: Kysely<Database>): ResultQueries {
  return {
    async findResult(id: string) {
      const row = await db.selectFrom('results').selectAll().where('id', '=', id).executeTakeFirst()
      return row && toResult(row)
    },

    async listResults(typebotId: string, options: Parameters<Store['listResults']>[1]) {
      let query = db.selectFrom('results').selectAll().where('typebot_id', '=', typebotId).where('is_archived', '=', 0)
      if (options.cursor) query = query.where('created_at', '<', options.cursor)
      if (options.createdFrom) query = query.where('created_at', '>=', options.createdFrom)
      if (options.createdTo) query = query.where('created_at', '<=', options.createdTo)
      const bound = options.from ?? options.after
      if (bound) {
        // A row-value comparison walks the (typebot_id, created_at, id) index from the bound on,
        // however many results share a creation time.
        const comparison = options.from ? ('<=' as const) : ('<' as const)
        query = query.where((eb) => eb(eb.refTuple('created_at', 'id'), comparison, eb.tuple(bound.createdAt, bound.id)))
      }
      query = query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(options.limit)
      if (options.offset) query = query.offset(options.offset)
      return (await query.execute()).map(toResult)
    },

    async listAnswers(resultId: string): Promise<AnswerRecord[]> {
      const rows = await db.selectFrom('answers').selectAll().where('result_id', '=', resultId).orderBy('seq').execute()
      return rows.map(toAnswer)
    },

    async listLogs(resultId: string): Promise<LogRecord[]> {
      const rows = await db.selectFrom('logs').selectAll().where('result_id', '=', resultId).orderBy('seq').execute()
      return rows.map(toLog)
    },

    async addLogs(logs: { resultId: string; status: string; description: string; details?: string; context?: string }[]) {
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
    },

    async listVisitedEdges(resultId: string) {
      const rows = await db.selectFrom('visited_edges').select('edge_id').where('result_id', '=', resultId).orderBy('idx').execute()
      return rows.map((row) => row.edge_id)
    },

    async listSetVariableHistory(resultId: string) {
      const rows = await db.selectFrom('set_variable_history').selectAll().where('result_id', '=', resultId).orderBy('idx').execute()
      return rows.map((row) => ({
        blockId: row.block_id,
        variableId: row.variable_id,
        value: JSON.parse(row.value) as unknown,
        blockIndex: row.block_index,
      }))
    },

    async deleteResults(typebotId: string, resultIds?: string[]) {
      return db.transaction().execute(async (trx) => {
        let query = trx.selectFrom('results').select('id').where('typebot_id', '=', typebotId)
        if (resultIds) query = query.where('id', 'in', resultIds.length > 0 ? resultIds : [''])
        const ids = (await query.execute()).map((row) => row.id)
        if (ids.length === 0) return 0
        for (const table of ['answers', 'logs', 'visited_edges', 'set_variable_history'] as const) {
          await trx.deleteFrom(table).where('result_id', 'in', ids).execute()
        }
        await trx.deleteFrom('results').where('id', 'in', ids).execute()
        return ids.length
      })
    },
  }
}
