import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { type Config, parseConfig } from '../../src/config.js'
import { createServer, type ServerOptions } from '../../src/server.js'
import type { Store } from '../../src/storage/store.js'

/** `store` is for test set-up (users, tokens), the way the CLI does it; assertions go through HTTP. */
export type TestServer = { url: string; config: Config; store: Store; close(): Promise<void> }

/**
 * Starts the real server on 127.0.0.1, port 0. SQLite in a temp dir by default; with
 * TEST_DATABASE_URL (CI sets it) a fresh PostgreSQL schema per server.
 */
export async function startTestServer(env: Record<string, string> = {}, options: ServerOptions = {}): Promise<TestServer> {
  const database = await createTestDatabase()
  const server = await startTestServerOn(database, env, options)
  return {
    ...server,
    async close() {
      await server.close()
      await database.drop()
    },
  }
}

/** The same on an existing database, which `close` keeps (restart tests start several servers on one). */
export async function startTestServerOn(
  database: TestDatabase,
  env: Record<string, string> = {},
  options: ServerOptions = {},
): Promise<TestServer> {
  // Uploaded files go to a folder of this server, removed with it.
  const uploadsDir = mkdtempSync(join(tmpdir(), 'botflow-uploads-'))
  const config = parseConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    BOTFLOW_DEMO: 'false',
    UPLOADS_DIR: uploadsDir,
    // Test files start dozens of chats from 127.0.0.1; the rate-limit tests turn limits on.
    RATE_LIMIT: 'off',
    ...database.env,
    ...env,
    DATABASE_URL: database.url,
  })
  const server = await createServer(config, options)
  const address = await server.app.listen({ port: 0, host: '127.0.0.1' })
  return {
    url: address,
    config,
    store: server.store,
    async close() {
      await server.close()
      rmSync(uploadsDir, { recursive: true, force: true })
    },
  }
}

/**
 * `env` is what a botflow process needs for this database: DATABASE_URL, and on PostgreSQL the
 * ENCRYPTION_SECRET it requires.
 */
export type TestDatabase = { url: string; env: Record<string, string>; drop(): Promise<void> }

/** The secret test servers on PostgreSQL share (SQLite ones generate their key file). */
export const testEncryptionSecret = 'botflow-tests-encryption-secret-0123456789'

export async function createTestDatabase(): Promise<TestDatabase> {
  const postgresUrl = process.env.TEST_DATABASE_URL
  if (!postgresUrl) {
    const dir = mkdtempSync(join(tmpdir(), 'botflow-test-'))
    const url = `file:${join(dir, 'botflow.sqlite')}`
    return { url, env: { DATABASE_URL: url }, drop: async () => rmSync(dir, { recursive: true, force: true }) }
  }
  // Under vitest the run's global set-up names the schemas and drops them all at the end
  // (test/helpers/postgres-schemas.global.ts); elsewhere each schema goes with its database.
  const runPrefix = process.env.BOTFLOW_TEST_SCHEMA_PREFIX
  const schema = `${runPrefix ?? 't_'}${process.pid}_${Math.random().toString(36).slice(2, 10)}`
  const admin = new pg.Client({ connectionString: postgresUrl })
  await admin.connect()
  await admin.query(`create schema ${schema}`)
  await admin.end()
  const url = new URL(postgresUrl)
  url.searchParams.set('options', `-c search_path=${schema}`)
  return {
    url: url.toString(),
    env: { DATABASE_URL: url.toString(), ENCRYPTION_SECRET: testEncryptionSecret },
    async drop() {
      if (runPrefix) return
      const client = new pg.Client({ connectionString: postgresUrl })
      await client.connect()
      await client.query(`drop schema if exists ${schema} cascade`)
      await client.end()
    },
  }
}
