import type { Kysely } from 'kysely'
import type { Migration } from 'kysely/migration'

/** Workspace credentials (AI providers, SMTP, Stripe): metadata in columns, the secret data sealed in `data`. */
export function createCredentialsMigration(): Migration {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run on a database of any shape, as Kysely documents
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('credentials')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema.createIndex('credentials_workspace_type_idx').on('credentials').columns(['workspace_id', 'type']).execute()
    },
  }
}
