import type { Migration, MigrationProvider } from 'kysely/migration'
import { createInitialMigration } from './0001-initial.js'
import { createRateLimitCountersMigration } from './0002-rate-limit-counters.js'
import { createLeasesAndExpiryMigration } from './0003-leases-and-expiry.js'
import { createCredentialsMigration } from './0004-credentials.js'
import { uploadsMigration } from './0005-uploads.js'
import { createConversationControlMigration } from './0006-conversation-control.js'

/** A static list, not a folder read at runtime, so a bundled CLI still finds every migration. */
export function createMigrationProvider(dialect: 'sqlite' | 'postgres'): MigrationProvider {
  const migrations: Record<string, Migration> = {
    '0001-initial': createInitialMigration(dialect),
    '0002-rate-limit-counters': createRateLimitCountersMigration(),
    '0003-leases-and-expiry': createLeasesAndExpiryMigration(dialect),
    '0004-credentials': createCredentialsMigration(),
    '0005-uploads': uploadsMigration,
    '0006-conversation-control': createConversationControlMigration(dialect),
  }
  return { getMigrations: async () => migrations }
}
