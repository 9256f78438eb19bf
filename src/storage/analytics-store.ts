import { type Kysely, sql } from 'kysely'
import type { Database } from './database.js'

/** Counts of a typebot's results over a period (Typebot's analytics stats), without reading the rows. */
export type ResultCounts = { total: number; started: number; completed: number }

export interface AnalyticsStore {
  /** Results that are not archived, created within the inclusive bounds when given. */
  countResults(typebotId: string, range: { createdFrom?: string; createdTo?: string }): Promise<ResultCounts>
}

export class KyselyAnalyticsStore implements AnalyticsStore {
  constructor(private readonly db: Kysely<Database>) {}

  async countResults(typebotId: string, range: { createdFrom?: string; createdTo?: string }): Promise<ResultCounts> {
    let query = this.db
      .selectFrom('results')
      .select([
        sql<number | string>`count(*)`.as('total'),
        sql<number | string | null>`sum(has_started)`.as('started'),
        sql<number | string | null>`sum(is_completed)`.as('completed'),
      ])
      .where('typebot_id', '=', typebotId)
      .where('is_archived', '=', 0)
    if (range.createdFrom) query = query.where('created_at', '>=', range.createdFrom)
    if (range.createdTo) query = query.where('created_at', '<=', range.createdTo)
    const row = await query.executeTakeFirst()
    // PostgreSQL answers count and sum as bigint/numeric strings; an empty sum is null.
    return { total: Number(row?.total ?? 0), started: Number(row?.started ?? 0), completed: Number(row?.completed ?? 0) }
  }
}
