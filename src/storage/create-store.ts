import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import SqliteDatabase from 'better-sqlite3'
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely'
import { Migrator } from 'kysely/migration'
import pg from 'pg'
import type { DatabaseConfig } from '../config.js'
import { withCachedStatements } from './cached-statements.js'
import type { Database } from './database.js'
import { createKyselyStore } from './kysely-store.js'
import { createMigrationProvider } from './migrations/index.js'
import { withPreparedQueries } from './prepared-queries.js'
import { ReplaceNulPlugin } from './replace-nul-plugin.js'
import { SqliteCheckpointer } from './sqlite-checkpointer.js'
import { SqliteTurnWriter, sqliteBusyTimeoutMs } from './sqlite-turn-writer.js'
import type { Store } from './store.js'

/** `poolSize`: PostgreSQL connections of this process (default: the configured one, else 20). */
export type StoreOptions = {
  migrate?: boolean
  poolSize?: number
  /** PostgreSQL closed an idle pooled connection (a restart, a failover, an idle timeout); the pool opens another when needed. */
  onConnectionLost?: (error: Error) => void
}

/**
 * PostgreSQL connections of one process when DATABASE_POOL_SIZE is not set: 20 in all, shared out
 * among the workers. Chat leases and turns travel in batches on a few connections (postgres-batcher.ts:
 * pool 4 and 20 measured the same under continueChat at 16 connections); the rest serve the
 * management API and background jobs.
 */
export function defaultPoolSize(workers: number): number {
  return Math.max(4, Math.ceil(20 / workers))
}

/** Opens the configured database, runs pending migrations, and returns the Store over it. */
export async function createStore(config: DatabaseConfig, options: StoreOptions = {}): Promise<Store> {
  const { db, sqlite, pool } = connect(config, options)
  if (options.migrate !== false) await migrateToLatest(db, config.kind)
  const checkMigrations = () => findPendingMigrations(db, config.kind)
  if (pool) return createKyselyStore(db, { turns: { dialect: 'postgres', pool }, checkMigrations })
  if (!sqlite || config.kind !== 'sqlite') throw new Error('No database connection')
  // An in-memory database has no WAL to checkpoint.
  const checkpointer = config.filename === ':memory:' ? undefined : new SqliteCheckpointer(sqlite, config.filename)
  return createKyselyStore(db, { turns: { dialect: 'sqlite', writer: new SqliteTurnWriter(sqlite), checkpointer }, checkMigrations })
}

export function openDatabase(config: DatabaseConfig, options: StoreOptions = {}): Kysely<Database> {
  return connect(config, options).db
}

/**
 * Settings of every pooled PostgreSQL connection, both measured under the benchmark's loads:
 * - our named statements (postgres-turns.ts) take arrays, whose length a cached plan cannot see:
 *   PostgreSQL kept planning the new-session statement anew on every call (~0.8 ms of its CPU each,
 *   read in its statement log). Their generic plans (index scans by primary key) are the right ones
 *   whatever the batch, as they are for the lookups by key that prepared-queries.ts names; Kysely's
 *   other statements are unnamed, planned once each, and not affected.
 * - JIT compilation is for long analytic queries: once the answers table held ~30,000 rows, the
 *   estimated cost of the turn statement crossed `jit_above_cost` and every execution spent ~60 ms
 *   compiling (EXPLAIN ANALYZE), which took startChat from ~4,000 to ~130 requests/s.
 */
const postgresSessionSettings = 'SET plan_cache_mode = force_generic_plan; SET jit = off'

/** The Kysely instance, plus better-sqlite3's own handle on SQLite (for what Kysely does not expose). */
function connect(
  config: DatabaseConfig,
  options: StoreOptions,
): { db: Kysely<Database>; sqlite?: SqliteDatabase.Database; pool?: pg.Pool } {
  if (config.kind === 'sqlite') {
    if (config.filename !== ':memory:') mkdirSync(dirname(config.filename), { recursive: true })
    const sqlite = new SqliteDatabase(config.filename)
    // WAL lets readers run during a write; NORMAL sync is durable across app crashes in WAL mode.
    sqlite.pragma('journal_mode = WAL')
    sqlite.pragma('synchronous = NORMAL')
    sqlite.pragma(`busy_timeout = ${sqliteBusyTimeoutMs}`)
    sqlite.pragma('foreign_keys = ON')
    return { db: new Kysely<Database>({ dialect: new SqliteDialect({ database: withCachedStatements(sqlite) }) }), sqlite }
  }
  const pool = new pg.Pool({ connectionString: config.connectionString, max: options.poolSize ?? config.poolSize ?? defaultPoolSize(1) })
  // Without a listener, pg's pool rethrows the error of an idle connection PostgreSQL closed, which
  // ended the process: a database restart must cost the requests of that moment (503), not the server.
  pool.on('error', (error) => options.onConnectionLost?.(error))
  pool.on('connect', (client) => {
    client.query(postgresSessionSettings).catch(() => {
      // A server that refuses them still runs every statement, only slower; the first query will say if it is down.
    })
  })
  return {
    db: new Kysely<Database>({ dialect: new PostgresDialect({ pool: withPreparedQueries(pool) }), plugins: [new ReplaceNulPlugin()] }),
    pool,
  }
}

export async function migrateToLatest(db: Kysely<Database>, dialect: 'sqlite' | 'postgres'): Promise<string[]> {
  const migrator = await createMigrator(db, dialect)
  const { error, results } = await migrator.migrateToLatest()
  if (error) throw error instanceof Error ? error : new Error(String(error))
  return (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName)
}

/** The migrations of this build that the database has not run. */
export async function findPendingMigrations(db: Kysely<Database>, dialect: 'sqlite' | 'postgres'): Promise<string[]> {
  const migrations = await (await createMigrator(db, dialect)).getMigrations()
  return migrations.filter((migration) => migration.executedAt === undefined).map((migration) => migration.name)
}

export async function createMigrator(
  db: Kysely<Database>,
  dialect: 'sqlite' | 'postgres',
  provider = createMigrationProvider(dialect),
): Promise<Migrator> {
  // Kysely looks for its migration tables in every schema unless told which: name the current one,
  // so databases that hold several botflow schemas (tests, tenants) do not see each other's tables.
  const migrationTableSchema = dialect === 'postgres' ? await findCurrentSchema(db) : undefined
  // Migrations are numbered when work starts and land in any order (0003 after 0004 and 0005): a
  // database that already ran later ones still takes an earlier one that arrives afterwards.
  return new Migrator({ db, provider, migrationTableSchema, allowUnorderedMigrations: true })
}

async function findCurrentSchema(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db)
  const schema = rows[0]?.schema
  if (!schema) throw new Error('PostgreSQL has no current schema: check the search_path of DATABASE_URL')
  return schema
}
