import type { Kysely } from 'kysely'
import type { Database } from './database.js'

/**
 * What the background sweeper deletes, and the lease rows that let one process at a time run a job.
 * Every delete is bounded (`limit`) so no statement holds the database for long.
 */
export interface SweepStore {
  /** Deletes up to `limit` sessions that expired before `now` (ISO); their results stay. Returns how many went. */
  deleteExpiredSessions(now: string, limit: number): Promise<number>
  /**
   * Deletes up to `limit` results created before `cutoff` (ISO), with their answers, logs, visited edges,
   * variable history, upload records, and the session still holding them in its state. Returns how
   * many results went and the storage keys of their files, for the caller to delete the bytes.
   */
  deleteResultsCreatedBefore(cutoff: string, limit: number): Promise<{ count: number; storageKeys: string[] }>
  /**
   * Deletes up to `limit` webhook deliveries that are over (delivered, or failed for good) and were
   * created before `cutoff` (ISO), with their attempts. Pending ones stay whatever their age.
   */
  deleteFinishedDeliveriesBefore(cutoff: string, limit: number): Promise<number>
  /** Takes (or extends) the lease `name` for `owner` until `nowMs + ttlMs`; false while another owner holds it. */
  takeLease(name: string, owner: string, ttlMs: number, nowMs: number): Promise<boolean>
  releaseLease(name: string, owner: string): Promise<void>
}

const resultChildTables = ['answers', 'logs', 'visited_edges', 'set_variable_history'] as const

export function createSweepStore(db: Kysely<Database>, dialect: 'sqlite' | 'postgres'): SweepStore {
  // SQLite: single statements, each atomic and taking the write lock as it starts; a deferred
  // multi-statement transaction could fail with BUSY_SNAPSHOT when another process writes meanwhile.
  // A pass cut short leaves some rows of a result deleted, and the next pass deletes the rest.
  const inTransaction = <T>(work: (db: Kysely<Database>) => Promise<T>) =>
    dialect === 'postgres' ? db.transaction().execute(work) : work(db)
  return {
    async deleteExpiredSessions(now, limit) {
      const expired = db.selectFrom('sessions').select('id').where('expires_at', '<', now).limit(limit)
      const result = await db.deleteFrom('sessions').where('id', 'in', expired).executeTakeFirst()
      return Number(result.numDeletedRows)
    },

    async deleteResultsCreatedBefore(cutoff, limit) {
      const rows = await db
        .selectFrom('results')
        .select(['id', 'last_chat_session_id'])
        .where('created_at', '<', cutoff)
        .orderBy('created_at')
        .limit(limit)
        .execute()
      if (rows.length === 0) return { count: 0, storageKeys: [] }
      const ids = rows.map((row) => row.id)
      const sessionIds = rows.flatMap((row) => (row.last_chat_session_id ? [row.last_chat_session_id] : []))
      const storageKeys = await inTransaction(async (trx) => {
        if (sessionIds.length > 0) await trx.deleteFrom('sessions').where('id', 'in', sessionIds).execute()
        for (const table of resultChildTables) await trx.deleteFrom(table).where('result_id', 'in', ids).execute()
        // Upload records go with their results, so a file is never listed without a result to show it.
        const uploads = await trx.deleteFrom('uploads').where('result_id', 'in', ids).returning('storage_key').execute()
        await trx.deleteFrom('results').where('id', 'in', ids).execute()
        return uploads.map((upload) => upload.storage_key)
      })
      return { count: ids.length, storageKeys }
    },

    async deleteFinishedDeliveriesBefore(cutoff, limit) {
      const finished = db
        .selectFrom('webhook_deliveries')
        .select('seq')
        .where('status', 'in', ['delivered', 'failed'])
        .where('created_at', '<', cutoff)
        .limit(limit)
      // Their attempts go by the foreign key's ON DELETE CASCADE (SQLite has foreign keys on).
      const result = await db.deleteFrom('webhook_deliveries').where('seq', 'in', finished).executeTakeFirst()
      return Number(result.numDeletedRows)
    },

    async takeLease(name, owner, ttlMs, nowMs) {
      const row = await db
        .insertInto('maintenance_leases')
        .values({ name, owner, held_until: nowMs + ttlMs })
        .onConflict((conflict) =>
          conflict
            .column('name')
            .doUpdateSet({ owner, held_until: nowMs + ttlMs })
            .where((eb) => eb.or([eb('maintenance_leases.held_until', '<', nowMs), eb('maintenance_leases.owner', '=', owner)])),
        )
        .returning('owner')
        .executeTakeFirst()
      return row?.owner === owner
    },

    async releaseLease(name, owner) {
      await db.deleteFrom('maintenance_leases').where('name', '=', name).where('owner', '=', owner).execute()
    },
  }
}
