import { type Kysely, sql } from 'kysely'
import type { Migration } from 'kysely/migration'

const backfillPageSize = 500

/**
 * Session leases (one process works on a session at a time, across processes), the expiry time the
 * sweeper looks sessions up by, an index to find old results, and lease rows for background jobs.
 */
export function createLeasesAndExpiryMigration(dialect: 'sqlite' | 'postgres'): Migration {
  const epochMs = dialect === 'postgres' ? 'bigint' : 'integer'
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run on a database of any shape, as Kysely documents
    async up(db: Kysely<any>) {
      await db.schema.alterTable('sessions').addColumn('lease_owner', 'text').execute()
      await db.schema.alterTable('sessions').addColumn('lease_until', sql.raw(epochMs)).execute()
      await db.schema.alterTable('sessions').addColumn('expires_at', 'text').execute()
      await db.schema
        .createIndex('sessions_expires_idx')
        .on('sessions')
        .column('expires_at')
        .where(sql.ref('expires_at'), 'is not', null)
        .execute()
      await db.schema.createIndex('results_created_idx').on('results').column('created_at').execute()
      await db.schema
        .createTable('maintenance_leases')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('held_until', sql.raw(epochMs), (c) => c.notNull())
        .execute()
      await backfillExpiry(db)
    },
  }
}

/** Sessions written before this migration keep their time to live in their state only. */
// biome-ignore lint/suspicious/noExplicitAny: see above
async function backfillExpiry(db: Kysely<any>) {
  let afterId = ''
  for (;;) {
    const rows: { id: string; state: string; updated_at: string }[] = await db
      .selectFrom('sessions')
      .select(['id', 'state', 'updated_at'])
      .where('id', '>', afterId)
      .where('state', 'like', '%"expiryTimeout"%')
      .orderBy('id')
      .limit(backfillPageSize)
      .execute()
    for (const row of rows) {
      const expiresAt = expiryOf(row.state, row.updated_at)
      if (expiresAt) await db.updateTable('sessions').set({ expires_at: expiresAt }).where('id', '=', row.id).execute()
    }
    const last = rows.at(-1)
    if (!last || rows.length < backfillPageSize) return
    afterId = last.id
  }
}

function expiryOf(state: string, updatedAt: string): string | undefined {
  const timeout: unknown = (JSON.parse(state) as { expiryTimeout?: unknown }).expiryTimeout
  const from = Date.parse(updatedAt)
  return typeof timeout === 'number' && Number.isFinite(from) ? new Date(from + timeout).toISOString() : undefined
}
