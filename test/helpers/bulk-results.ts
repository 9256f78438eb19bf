import { sql } from 'kysely'
import type { DatabaseConfig } from '../../src/config.js'
import { openDatabase } from '../../src/storage/create-store.js'

/**
 * Inserts `count` results of a typebot, each with a Name variable and two answers (blocks
 * `i-name` and `i-email`), in three SQL statements that run on SQLite and PostgreSQL alike:
 * test set-up for exports of many results, far faster than chat turns.
 */
export async function insertResultsInBulk(database: DatabaseConfig, typebotId: string, count: number): Promise<void> {
  const db = openDatabase(database, { migrate: false })
  const createdAt = new Date().toISOString()
  const numbers = sql`WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < CAST(${count} AS INTEGER))`
  try {
    await sql`${numbers}
      INSERT INTO results (id, typebot_id, variables, has_started, is_completed, is_archived, last_chat_session_id, created_at, updated_at)
      SELECT 'bulk-' || n, CAST(${typebotId} AS TEXT), '[{"id":"v-name","name":"Name","value":"Person ' || n || '"}]', 1, 1, 0, NULL, CAST(${createdAt} AS TEXT), CAST(${createdAt} AS TEXT)
      FROM seq`.execute(db)
    for (const [blockId, content] of [
      ['i-name', sql`'Person ' || n`],
      ['i-email', sql`'person' || n || '@example.com'`],
    ] as const) {
      await sql`${numbers}
        INSERT INTO answers (id, result_id, block_id, content, attached_file_urls, created_at)
        SELECT CAST(${`${blockId}-`} AS TEXT) || n, 'bulk-' || n, CAST(${blockId} AS TEXT), ${content}, NULL, CAST(${createdAt} AS TEXT) FROM seq`.execute(
        db,
      )
    }
    // Statistics, as PostgreSQL's autovacuum would gather after such a load: without them its
    // planner takes 100,000 rows for a handful and sorts them all for every page.
    await sql`ANALYZE results`.execute(db)
    await sql`ANALYZE answers`.execute(db)
  } finally {
    await db.destroy()
  }
}
