import { type Kysely, sql } from 'kysely'
import type { Migration } from 'kysely/migration'

/**
 * Operator control of conversations (pauses, messages received while paused), event webhooks
 * (subscriptions, the outbox of deliveries and their attempts) and Zapier/Make subscriptions of
 * HTTP request blocks. Rows that belong to a session, result, typebot or workspace go with it.
 */
export function createConversationControlMigration(dialect: 'sqlite' | 'postgres'): Migration {
  const serial = dialect === 'postgres' ? sql`bigserial primary key` : sql`integer primary key autoincrement`
  const serialReference = dialect === 'postgres' ? 'bigint' : 'integer'
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run on a database of any shape, as Kysely documents
    async up(db: Kysely<any>) {
      // Result pages (listing, exports) walk (created_at, id) from a bound: with id in the index
      // that stays cheap when many results share a creation time (a group commit gives them one).
      await db.schema.createIndex('results_typebot_created_idx').on('results').columns(['typebot_id', 'created_at', 'id']).execute()
      await db.schema.dropIndex('results_typebot_idx').execute()
      // The operator inbox lists a typebot's sessions newest first.
      await db.schema.createIndex('sessions_typebot_created_idx').on('sessions').columns(['typebot_id', 'created_at', 'id']).execute()
      // A row per paused session, written in the same commit as the session's state (which is
      // what continueChat reads): the listing by status needs an index, a turn needs nothing more.
      await db.schema
        .createTable('session_pauses')
        .addColumn('session_id', 'text', (c) => c.primaryKey().references('sessions.id').onDelete('cascade'))
        .addColumn('typebot_id', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('paused_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema.createIndex('session_pauses_typebot_idx').on('session_pauses').columns(['typebot_id', 'paused_at']).execute()

      await db.schema
        .createTable('result_messages')
        .addColumn('seq', serial)
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('result_id', 'text', (c) => c.notNull().references('results.id').onDelete('cascade'))
        .addColumn('session_id', 'text', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('answer_count', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema.createIndex('result_messages_result_idx').on('result_messages').columns(['result_id', 'seq']).execute()

      await db.schema
        .createTable('webhook_subscriptions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
        .addColumn('url', 'text', (c) => c.notNull())
        // ",session.started,answer.received," and ",id1,id2," (null = every typebot): matched with LIKE in the turn's write.
        .addColumn('events', 'text', (c) => c.notNull())
        .addColumn('typebot_ids', 'text')
        .addColumn('secret_sealed', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('is_enabled', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema.createIndex('webhook_subscriptions_workspace_idx').on('webhook_subscriptions').column('workspace_id').execute()

      await db.schema
        .createTable('webhook_deliveries')
        .addColumn('seq', serial)
        .addColumn('event_id', 'text', (c) => c.notNull())
        .addColumn('subscription_id', 'text', (c) => c.notNull().references('webhook_subscriptions.id').onDelete('cascade'))
        .addColumn('event_type', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'text', (c) => c.notNull())
        .addColumn('lease_until', 'text')
        .addColumn('lease_owner', 'text')
        .addColumn('last_status_code', 'integer')
        .addColumn('last_error', 'text')
        .addColumn('delivered_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('webhook_deliveries_event_unique', ['event_id', 'subscription_id'])
        .execute()
      await db.schema.createIndex('webhook_deliveries_due_idx').on('webhook_deliveries').columns(['status', 'next_attempt_at']).execute()
      await db.schema
        .createIndex('webhook_deliveries_subscription_idx')
        .on('webhook_deliveries')
        .columns(['subscription_id', 'seq'])
        .execute()

      await db.schema
        .createTable('webhook_attempts')
        .addColumn('seq', serial)
        .addColumn('delivery_seq', serialReference, (c) => c.notNull().references('webhook_deliveries.seq').onDelete('cascade'))
        .addColumn('attempted_at', 'text', (c) => c.notNull())
        .addColumn('status_code', 'integer')
        .addColumn('error', 'text')
        .addColumn('duration_ms', 'integer', (c) => c.notNull())
        .execute()
      await db.schema.createIndex('webhook_attempts_delivery_idx').on('webhook_attempts').columns(['delivery_seq', 'seq']).execute()

      await db.schema
        .createTable('webhook_block_subscriptions')
        .addColumn('typebot_id', 'text', (c) => c.notNull().references('typebots.id').onDelete('cascade'))
        .addColumn('block_id', 'text', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('webhook_block_subscriptions_pk', ['typebot_id', 'block_id'])
        .execute()
    },
  }
}
