import { type Kysely, sql } from 'kysely'
import type { Database } from './database.js'

/** Hits one process counted for a key in one window, not yet added to the shared counter. */
export type RateLimitHits = { key: string; windowStart: number; windowEnd: number; max: number; hits: number }

/** A shared counter: the hits of every process for a key in one window. */
export type RateLimitCount = { key: string; windowStart: number; windowEnd: number; max: number; hits: number }

/**
 * Rate-limit counters shared by every process on the database. Each process counts in memory and
 * calls this in batches (`limits/rate-limit-counters.ts`), never once per request.
 */
export interface RateLimitCounterStore {
  /** Adds the hits to each key's counter of that window; returns the totals, all processes together. */
  addHits(rows: RateLimitHits[]): Promise<RateLimitCount[]>
  /** Counters over their limit in windows not ended at `now`: keys other processes exhausted. */
  listExhausted(now: number): Promise<RateLimitCount[]>
  /** Deletes the counters of windows that ended before `before`; returns how many. */
  deleteEnded(before: number): Promise<number>
}

/** Rows per statement: 5 parameters each, far below both databases' limits. */
const batchSize = 500

/** The same SQL on SQLite and PostgreSQL (upsert with RETURNING, a partial index). */
export class KyselyRateLimitCounterStore implements RateLimitCounterStore {
  constructor(private readonly db: Kysely<Database>) {}

  async addHits(rows: RateLimitHits[]): Promise<RateLimitCount[]> {
    const totals: RateLimitCount[] = []
    for (let start = 0; start < rows.length; start += batchSize) {
      const values = rows.slice(start, start + batchSize).map((row) => ({
        key: row.key,
        window_start: row.windowStart,
        window_end: row.windowEnd,
        max_hits: row.max,
        hits: row.hits,
      }))
      const returned = await this.db
        .insertInto('rate_limit_counters')
        .values(values)
        .onConflict((conflict) =>
          conflict.columns(['key', 'window_start']).doUpdateSet({
            hits: sql<number>`rate_limit_counters.hits + excluded.hits`,
            max_hits: sql<number>`excluded.max_hits`,
          }),
        )
        .returningAll()
        .execute()
      totals.push(...returned.map(toCount))
    }
    return totals
  }

  async listExhausted(now: number): Promise<RateLimitCount[]> {
    const rows = await this.db
      .selectFrom('rate_limit_counters')
      .selectAll()
      .where(sql<boolean>`hits > max_hits`)
      .where('window_end', '>', now)
      .execute()
    return rows.map(toCount)
  }

  async deleteEnded(before: number): Promise<number> {
    const result = await this.db.deleteFrom('rate_limit_counters').where('window_end', '<', before).executeTakeFirst()
    return Number(result.numDeletedRows)
  }
}

type CounterRow = { key: string; window_start: number | string; window_end: number | string; max_hits: number; hits: number }

/** PostgreSQL returns bigint columns as strings. */
function toCount(row: CounterRow): RateLimitCount {
  return {
    key: row.key,
    windowStart: Number(row.window_start),
    windowEnd: Number(row.window_end),
    max: Number(row.max_hits),
    hits: Number(row.hits),
  }
}
