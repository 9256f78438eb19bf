import { type Kysely, sql } from 'kysely'
import type { Migration } from 'kysely/migration'

/** Rate-limit counters shared by every process (storage/rate-limit-counter-store.ts). */
export function createRateLimitCountersMigration(): Migration {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run on a database of any shape, as Kysely documents
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('rate_limit_counters')
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('window_start', 'bigint', (c) => c.notNull())
        .addColumn('window_end', 'bigint', (c) => c.notNull())
        .addColumn('max_hits', 'integer', (c) => c.notNull())
        .addColumn('hits', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('rate_limit_counters_pk', ['key', 'window_start'])
        .execute()
      // Every process asks for exhausted keys each second: only those rows are in this index.
      await db.schema
        .createIndex('rate_limit_counters_exhausted_idx')
        .on('rate_limit_counters')
        .column('window_end')
        .where(sql.ref('hits'), '>', sql.ref('max_hits'))
        .execute()
      await db.schema.createIndex('rate_limit_counters_end_idx').on('rate_limit_counters').column('window_end').execute()
    },
    // biome-ignore lint/suspicious/noExplicitAny: see up()
    async down(db: Kysely<any>) {
      await db.schema.dropTable('rate_limit_counters').execute()
    },
  }
}
