import pg from 'pg'

/**
 * vitest globalSetup: with TEST_DATABASE_URL, every test server gets a schema named after this run,
 * and the schemas are dropped here once every test file is done. Dropping them as each server
 * closed raced with other files' servers starting: Kysely's migrator lists the tables of every
 * schema, and one dropped in the middle of that listing failed the start-up ("schema does not exist").
 */
export default function setup(): (() => Promise<void>) | undefined {
  const postgresUrl = process.env.TEST_DATABASE_URL
  if (!postgresUrl) return undefined
  const prefix = `t_${process.pid}_${Date.now().toString(36)}_`
  // Read by createTestDatabase in the workers, which inherit this process's environment.
  process.env.BOTFLOW_TEST_SCHEMA_PREFIX = prefix
  return async () => {
    const client = new pg.Client({ connectionString: postgresUrl })
    await client.connect()
    try {
      const { rows } = await client.query<{ name: string }>(
        'select nspname as name from pg_namespace where left(nspname, length($1)) = $1',
        [prefix],
      )
      for (const { name } of rows) await client.query(`drop schema if exists "${name}" cascade`)
    } finally {
      await client.end()
    }
  }
}
