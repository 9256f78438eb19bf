import type { Kysely } from 'kysely'
import { insertWebhookEvents, type WebhookEventRecord } from './control-records.js'
import type { Database } from './database.js'
import { toVersion } from './row-mappers.js'
import type { Store } from './store.js'
import { now } from './write-rules.js'

/** Typebot versions: the immutable snapshots sessions run, published or drafts. */
export type VersionQueries = Pick<Store, 'publishTypebot' | 'unpublishTypebot' | 'findOrCreateDraftVersion' | 'findVersion'>

export function createVersionQueries(db: Kysely<Database>): VersionQueries {
  return {
    async publishTypebot(
      typebotId: string,
      version: { id: string; content: Record<string, unknown> },
      options: { events?: WebhookEventRecord[] } = {},
    ) {
      const row = {
        id: version.id,
        typebot_id: typebotId,
        kind: 'published',
        content: JSON.stringify(version.content),
        content_hash: null,
        created_at: now(),
      }
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('typebot_versions').values(row).execute()
        await trx
          .updateTable('typebots')
          .set({ published_version_id: row.id, updated_at: row.created_at })
          .where('id', '=', typebotId)
          .execute()
        if (options.events?.length) await insertWebhookEvents(trx, options.events)
      })
      return toVersion(row)
    },

    async unpublishTypebot(typebotId: string) {
      await db.updateTable('typebots').set({ published_version_id: null, updated_at: now() }).where('id', '=', typebotId).execute()
    },

    async findOrCreateDraftVersion(typebotId: string, version: { id: string; contentHash: string; content: Record<string, unknown> }) {
      const existing = await db
        .selectFrom('typebot_versions')
        .selectAll()
        .where('typebot_id', '=', typebotId)
        .where('content_hash', '=', version.contentHash)
        .executeTakeFirst()
      if (existing) return toVersion(existing)
      const row = {
        id: version.id,
        typebot_id: typebotId,
        kind: 'draft',
        content: JSON.stringify(version.content),
        content_hash: version.contentHash,
        created_at: now(),
      }
      await db.insertInto('typebot_versions').values(row).execute()
      return toVersion(row)
    },

    async findVersion(id: string) {
      const row = await db.selectFrom('typebot_versions').selectAll().where('id', '=', id).executeTakeFirst()
      return row && toVersion(row)
    },
  }
}
