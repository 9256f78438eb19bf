import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseConfig } from '../../src/config.js'
import { openDatabase } from '../../src/storage/create-store.js'
import { createTestDatabase, type TestDatabase } from '../helpers/start-server.js'

/**
 * Two settings of every pooled PostgreSQL connection that keep the chat's statements fast once
 * the tables hold real data (see create-store.ts for what each cost when missing). A behaviour a
 * user notices only as a slow server under load, and the benchmark carries the numbers; this
 * guards the settings themselves, on every connection of the pool, not only the first.
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
})
