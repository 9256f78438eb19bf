import type { Kysely } from 'kysely'
import type { Database } from './database.js'
import { toAnswer } from './row-mappers.js'
import type { AnswerRecord } from './store.js'

/** Batch reads for exporting results: a page of results' answers in one query. */
export interface ResultExportStore {
  /** Answers of these results, each result's in the order they were given. */
  listAnswersOfResults(resultIds: readonly string[]): Promise<AnswerRecord[]>
  /** Blocks that answers of the typebot's results refer to (for columns of deleted blocks). */
  listAnswerBlockIds(typebotId: string, range: { createdFrom?: string; createdTo?: string }): Promise<string[]>
}

export class KyselyResultExportStore implements ResultExportStore {
  constructor(private readonly db: Kysely<Database>) {}

  async listAnswersOfResults(resultIds: readonly string[]): Promise<AnswerRecord[]> {
    if (resultIds.length === 0) return []
    const rows = await this.db
      .selectFrom('answers')
      .selectAll()
      .where('result_id', 'in', [...resultIds])
      .orderBy('result_id')
      .orderBy('seq')
      .execute()
    return rows.map(toAnswer)
  }

  async listAnswerBlockIds(typebotId: string, range: { createdFrom?: string; createdTo?: string }): Promise<string[]> {
    let query = this.db
      .selectFrom('answers')
      .innerJoin('results', 'results.id', 'answers.result_id')
      .select('answers.block_id')
      .distinct()
      .where('results.typebot_id', '=', typebotId)
      .where('results.is_archived', '=', 0)
      .where('answers.content', '!=', '')
    if (range.createdFrom) query = query.where('results.created_at', '>=', range.createdFrom)
    if (range.createdTo) query = query.where('results.created_at', '<=', range.createdTo)
    return (await query.orderBy('answers.block_id').execute()).map((row) => row.block_id)
  }
}
