import type { Kysely } from 'kysely'
import type { Migration } from 'kysely/migration'

/**
 * Files uploaded to file inputs: who they belong to (for private reads and for deleting them with
 * their results), the hash of their single-use upload token, and where storage keeps them.
 */
export const uploadsMigration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations run on a database of any shape, as Kysely documents
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('uploads')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('typebot_id', 'text', (c) => c.notNull())
      .addColumn('result_id', 'text')
      .addColumn('session_id', 'text', (c) => c.notNull())
      .addColumn('block_id', 'text', (c) => c.notNull())
      .addColumn('wait_version', 'integer', (c) => c.notNull())
      .addColumn('storage_key', 'text', (c) => c.notNull())
      .addColumn('file_name', 'text', (c) => c.notNull())
      .addColumn('content_type', 'text', (c) => c.notNull())
      .addColumn('is_attachment', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('max_bytes', 'integer', (c) => c.notNull())
      .addColumn('size', 'integer')
      .addColumn('is_private', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('stored_at', 'text')
      .execute()
    await db.schema.createIndex('uploads_result_idx').on('uploads').column('result_id').execute()
    await db.schema.createIndex('uploads_typebot_idx').on('uploads').column('typebot_id').execute()
    await db.schema.createIndex('uploads_session_block_idx').on('uploads').columns(['session_id', 'block_id']).execute()
  },
}
