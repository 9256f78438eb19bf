import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseConfig } from '../../src/config.js'
import { migrateToLatest, openDatabase } from '../../src/storage/create-store.js'
import { prepared } from '../../src/storage/prepared-queries.js'
import { createTestDatabase, type TestDatabase } from '../helpers/start-server.js'

/**
 * What every pooled PostgreSQL connection does to keep the chat's statements fast once the tables
 * hold real data: two settings (see create-store.ts for what each cost when missing) and named
 * statements for the lookups marked prepared() (prepared-queries.ts). A user notices them only as
 * a slow server under load, and the benchmark carries the numbers; these tests guard the mechanisms.
 */
describe.skipIf(!process.env.TEST_DATABASE_URL)('PostgreSQL connection settings', () => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await createTestDatabase()
  })
  afterAll(async () => {
    await database?.drop()
  })

  it('turns JIT off and asks for generic plans on every pooled connection', async () => {
    const db = openDatabase(parseConfig({ DATABASE_URL: database.url }).database, { poolSize: 3 })
    try {
      // Three transactions held open at once: three different connections of the pool.
      const settings = await Promise.all(
        [1, 2, 3].map(() =>
          db.transaction().execute(async (trx) => {
            const { rows } = await sql<{ jit: string; plan_cache_mode: string; pid: number }>`
              SELECT current_setting('jit') AS jit, current_setting('plan_cache_mode') AS plan_cache_mode, pg_backend_pid() AS pid,
                pg_sleep(0.05) IS NULL AS slept`.execute(trx)
            return rows[0]
          }),
        ),
      )
      expect(new Set(settings.map((row) => row?.pid)).size).toBe(3)
      for (const row of settings) expect(row).toMatchObject({ jit: 'off', plan_cache_mode: 'force_generic_plan' })
    } finally {
      await db.destroy()
    }
  })

  it('runs the queries marked prepared() as named statements, and the others unnamed', async () => {
    // One connection, so the statements it prepared can be read back on it.
    const db = openDatabase(parseConfig({ DATABASE_URL: database.url }).database, { poolSize: 1 })
    try {
      await migrateToLatest(db, 'postgres')
      const lookUpRole = () =>
        prepared(db.selectFrom('members').select('role').where('workspace_id', '=', 'w').where('user_id', '=', 'u')).executeTakeFirst()
      expect(await lookUpRole()).toBeUndefined()
      expect(await lookUpRole()).toBeUndefined()
      await db.selectFrom('users').select('id').where('email', '=', 'nobody@example.com').execute()
      const { rows } = await sql<{ name: string; statement: string }>`SELECT name, statement FROM pg_prepared_statements`.execute(db)
      expect(rows).toEqual([{ name: expect.stringMatching(/^botflow_query_\d+$/), statement: expect.stringContaining('from "members"') }])
    } finally {
      await db.destroy()
    }
  })
})
