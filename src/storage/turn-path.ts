import type pg from 'pg'
import { CommitBatcher } from './commit-batcher.js'
import { PostgresTurns } from './postgres-turns.js'
import { toSession } from './row-mappers.js'
import type { SqliteCheckpointer } from './sqlite-checkpointer.js'
import {
  isLostCreate,
  leaseSessionWith,
  releaseLeaseWith,
  renewLeaseWith,
  type SqliteTurnWriter,
  writeTurnWith,
} from './sqlite-turn-writer.js'
import type { Store } from './store.js'

/** The chat hot path of the store: session leases and turn writes, the one part that differs by dialect. */
export type TurnPath = Pick<Store, 'leaseSession' | 'renewSessionLease' | 'releaseSessionLease' | 'commitTurn'> & {
  /** Waits for queued writes, then stops background work (SQLite's checkpoint thread). */
  close(): Promise<void>
}

/**
 * SQLite: the writes of concurrent requests (turns and leases) are committed together (one
 * transaction, a savepoint each); a commit costs far more than the writes in it on a file system,
 * and SQLite has one writer anyway.
 */
export function createSqliteTurnPath(writer: SqliteTurnWriter, checkpointer: SqliteCheckpointer | undefined): TurnPath {
  const batcher = new CommitBatcher(writer, checkpointer && (() => checkpointer.noteCommit()))
  return {
    async leaseSession(id, owner, ttlMs) {
      const found = await batcher.submit((statements) => leaseSessionWith(statements, id, owner, ttlMs))
      return found === 'busy' || found === undefined ? found : toSession(found)
    },
    renewSessionLease: (id, owner, ttlMs) => batcher.submit((statements) => renewLeaseWith(statements, id, owner, ttlMs)),
    releaseSessionLease: (id, owner) => batcher.submit((statements) => releaseLeaseWith(statements, id, owner)),
    commitTurn: (write, records, options = {}) =>
      batcher.submit(
        (statements) => writeTurnWith(statements, write, records, options.lastChatSessionId),
        (error) => {
          if (isLostCreate(write, error)) return false
          throw error
        },
      ),
    async close() {
      await batcher.drain()
      await checkpointer?.close()
    },
  }
}

/** PostgreSQL: a lease and a turn are one prepared statement each, on the pool directly. */
export function createPostgresTurnPath(pool: pg.Pool): TurnPath {
  const statements = new PostgresTurns(pool)
  return {
    async leaseSession(id, owner, ttlMs) {
      const found = await statements.leaseSession(id, owner, ttlMs)
      return found === 'busy' || found === undefined ? found : toSession(found)
    },
    renewSessionLease: (id, owner, ttlMs) => statements.renewLease(id, owner, ttlMs),
    releaseSessionLease: (id, owner) => statements.releaseLease(id, owner),
    commitTurn: (write, records, options = {}) => statements.commitTurn(write, records, options.lastChatSessionId),
    close: async () => undefined,
  }
}
