import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import SqliteDatabase from 'better-sqlite3'
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely'
import { Migrator } from 'kysely/migration'
import pg from 'pg'
import type { DatabaseConfig } from '../config.js'
import { withCachedStatements } from './cached-statements.js'
import type { Database } from './database.js'
import { KyselyStore } from './kysely-store.js'
import { createMigrationProvider } from './migrations/index.js'
import { ReplaceNulPlugin } from './replace-nul-plugin.js'
import { SqliteCheckpointer } from './sqlite-checkpointer.js'
import { SqliteTurnWriter } from './sqlite-turn-writer.js'
import type { Store } from './store.js'

export type StoreOptions = { migrate?: boolean; poolSize?: number }

/** Opens the configured database, runs pending migrations, and returns the Store over it. */
export async function createStore(config: DatabaseConfig, options: StoreOptions = {}): Promise<Store> {
  const { db, sqlite } = connect(config, options)
  if (options.migrate !== false) await migrateToLatest(db, config.kind)
  if (config.kind === 'postgres' || !sqlite) return new KyselyStore(db, { turns: { dialect: 'postgres' } })
  // An in-memory database has no WAL to checkpoint.
  const checkpointer = config.filename === ':memory:' ? undefined : new SqliteCheckpointer(sqlite, config.filename)
  return new KyselyStore(db, { turns: { dialect: 'sqlite', writer: new SqliteTurnWriter(sqlite), checkpointer } })
}

export function openDatabase(config: DatabaseConfig, options: StoreOptions = {}): Kysely<Database> {
  return connect(config, options).db
}

/** The Kysely instance, plus better-sqlite3's own handle on SQLite (for what Kysely does not expose). */
function connect(config: DatabaseConfig, options: StoreOptions): { db: Kysely<Database>; sqlite?: SqliteDatabase.Database } {
  if (config.kind === 'sqlite') {
    if (config.filename !== ':memory:') mkdirSync(dirname(config.filename), { recursive: true })
    const sqlite = new SqliteDatabase(config.filename)
    // WAL lets readers run during a write; NORMAL sync is durable across app crashes in WAL mode.
    sqlite.pragma('journal_mode = WAL')
    sqlite.pragma('synchronous = NORMAL')
    sqlite.pragma('busy_timeout = 5000')
    sqlite.pragma('foreign_keys = ON')
    return { db: new Kysely<Database>({ dialect: new SqliteDialect({ database: withCachedStatements(sqlite) }) }), sqlite }
  }
  const pool = new pg.Pool({ connectionString: config.connectionString, max: options.poolSize ?? 10 })
  return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: [new ReplaceNulPlugin()] }) }
}

export async function migrateToLatest(db: Kysely<Database>, dialect: 'sqlite' | 'postgres'): Promise<string[]> {
  // Kysely looks for its migration tables in every schema unless told which: name the current one,
  // so databases that hold several botflow schemas (tests, tenants) do not see each other's tables.
  const migrationTableSchema = dialect === 'postgres' ? await findCurrentSchema(db) : undefined
  const migrator = new Migrator({ db, provider: createMigrationProvider(dialect), migrationTableSchema })
  const { error, results } = await migrator.migrateToLatest()
  if (error) throw error instanceof Error ? error : new Error(String(error))
  return (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName)
}

async function findCurrentSchema(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db)
  const schema = rows[0]?.schema
  if (!schema) throw new Error('PostgreSQL has no current schema: check the search_path of DATABASE_URL')
  return schema
}
