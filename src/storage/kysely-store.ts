import { CompiledQuery, type Kysely } from 'kysely'
import type pg from 'pg'
import { KyselyAnalyticsStore } from './analytics-store.js'
import { KyselyCredentialStore } from './credential-store.js'
import type { Database } from './database.js'
import { KyselyRateLimitCounterStore } from './rate-limit-counter-store.js'
import { KyselyResultExportStore } from './result-export-store.js'
import { createResultQueries } from './result-queries.js'
import { KyselySessionControlStore } from './session-control-store.js'
import { createSessionQueries } from './session-queries.js'
import type { SqliteCheckpointer } from './sqlite-checkpointer.js'
import type { SqliteTurnWriter } from './sqlite-turn-writer.js'
import type { Store } from './store.js'
import { createSweepStore } from './sweep-store.js'
import { createPostgresTurnPath, createSqliteTurnPath } from './turn-path.js'
import { createTypebotQueries } from './typebot-queries.js'
import { KyselyUploadStore } from './upload-store.js'
import { createUserQueries } from './user-queries.js'
import { createVersionQueries } from './version-queries.js'
import { KyselyWebhookStore } from './webhook-store.js'
import { createWorkspaceQueries } from './workspace-queries.js'

export type KyselyStoreOptions = {
  /**
   * How turns are written. SQLite: the turns of concurrent requests are committed together (one
   * transaction, a savepoint each) by this writer; a commit costs far more than the writes in it
   * on a file system, and SQLite has one writer anyway; session leases share those commits.
   * PostgreSQL: a turn is one prepared statement, on the pool directly.
   */
  turns: { dialect: 'sqlite'; writer: SqliteTurnWriter; checkpointer?: SqliteCheckpointer } | { dialect: 'postgres'; pool: pg.Pool }
  /** The migrations of this build not yet run (readiness); the store caches an empty answer. */
  checkMigrations?: () => Promise<string[]>
}

/**
 * The one Store implementation over both dialects, composed of one part per kind of record
 * (`*-queries.ts`, `*-store.ts`); the session leases and turn writes are the turn path's (turn-path.ts).
 */
export function createKyselyStore(db: Kysely<Database>, options: KyselyStoreOptions): Store {
  const { dialect } = options.turns
  const turns =
    options.turns.dialect === 'sqlite'
      ? createSqliteTurnPath(options.turns.writer, options.turns.checkpointer)
      : createPostgresTurnPath(options.turns.pool)
  const pool = options.turns.dialect === 'postgres' ? options.turns.pool : undefined
  const checkMigrations = options.checkMigrations ?? (async () => [])
  let areMigrationsCurrent = false

  return {
    ...createUserQueries(db),
    ...createWorkspaceQueries(db),
    ...createTypebotQueries(db),
    ...createVersionQueries(db),
    ...createSessionQueries(db, dialect),
    ...createResultQueries(db),
    leaseSession: turns.leaseSession,
    renewSessionLease: turns.renewSessionLease,
    releaseSessionLease: turns.releaseSessionLease,
    commitTurn: turns.commitTurn,

    uploads: new KyselyUploadStore(db),
    credentials: new KyselyCredentialStore(db),
    sweep: createSweepStore(db, dialect),
    rateLimitCounters: new KyselyRateLimitCounterStore(db),
    control: new KyselySessionControlStore(db),
    resultExport: new KyselyResultExportStore(db),
    analytics: new KyselyAnalyticsStore(db),
    webhooks: new KyselyWebhookStore(db, dialect),

    async readiness() {
      try {
        await db.executeQuery(CompiledQuery.raw('select 1'))
        // Once current, they stay current: a newer build's migrations do not make this one unready.
        if (!areMigrationsCurrent) {
          const pending = await checkMigrations()
          if (pending.length > 0) return { isReady: false as const, reason: `migrations not applied: ${pending.join(', ')}` }
          areMigrationsCurrent = true
        }
        return { isReady: true as const }
      } catch {
        return { isReady: false as const, reason: 'the database does not answer' }
      }
    },

    poolStats() {
      return pool && { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }
    },

    async close() {
      await turns.close()
      await db.destroy()
    },
  }
}
