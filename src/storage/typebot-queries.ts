import type { Kysely } from 'kysely'
import { AppError } from '../errors.js'
import type { Database } from './database.js'
import { prepared } from './prepared-queries.js'
import { toTypebot, toTypebotHeader, typebotHeaderColumns } from './row-mappers.js'
import type { CollaboratorRecord, CollaboratorType, Store, TypebotPatch, TypebotRecord, WorkspaceRole } from './store.js'
import { isUniqueViolation, now } from './write-rules.js'

/** Typebots (their drafts and flags) and their collaborators. */
export type TypebotQueries = Pick<
  Store,
  | 'createTypebot'
  | 'findTypebot'
  | 'findTypebotByPublicId'
  | 'findTypebotHeader'
  | 'findTypebotHeaderByPublicId'
  | 'listTypebots'
  | 'updateTypebot'
  | 'deleteTypebot'
  | 'listCollaborators'
  | 'findTypebotGrants'
  | 'upsertCollaborator'
>

export function createTypebotQueries(db: Kysely<Database>): TypebotQueries {
  async function findTypebot(id: string) {
    const row = await db.selectFrom('typebots').selectAll().where('id', '=', id).executeTakeFirst()
    return row && toTypebot(row)
  }

  return {
    async createTypebot(typebot: Omit<TypebotRecord, 'createdAt' | 'updatedAt' | 'publishedVersionId'>) {
      const timestamp = now()
      const row = {
        id: typebot.id,
        workspace_id: typebot.workspaceId,
        public_id: typebot.publicId,
        name: typebot.name,
        draft: JSON.stringify(typebot.draft),
        published_version_id: null,
        is_archived: typebot.isArchived ? 1 : 0,
        is_closed: typebot.isClosed ? 1 : 0,
        created_at: timestamp,
        updated_at: timestamp,
      }
      await withUniquePublicId(() => db.insertInto('typebots').values(row).execute())
      return toTypebot(row)
    },

    findTypebot,

    async findTypebotByPublicId(publicId: string) {
      const row = await db.selectFrom('typebots').selectAll().where('public_id', '=', publicId).executeTakeFirst()
      return row && toTypebot(row)
    },

    async findTypebotHeader(id: string) {
      const row = await prepared(db.selectFrom('typebots').select(typebotHeaderColumns).where('id', '=', id)).executeTakeFirst()
      return row && toTypebotHeader(row)
    },

    async findTypebotHeaderByPublicId(publicId: string) {
      const row = await prepared(
        db.selectFrom('typebots').select(typebotHeaderColumns).where('public_id', '=', publicId),
      ).executeTakeFirst()
      return row && toTypebotHeader(row)
    },

    async listTypebots(workspaceId: string) {
      const rows = await db
        .selectFrom('typebots')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .orderBy('created_at', 'desc')
        .execute()
      return rows.map(toTypebot)
    },

    async updateTypebot(id: string, patch: TypebotPatch) {
      const set: Partial<Database['typebots']> = { updated_at: now() }
      if (patch.name !== undefined) set.name = patch.name
      if (patch.publicId !== undefined) set.public_id = patch.publicId
      if (patch.draft !== undefined) set.draft = JSON.stringify(patch.draft)
      if (patch.isArchived !== undefined) set.is_archived = patch.isArchived ? 1 : 0
      if (patch.isClosed !== undefined) set.is_closed = patch.isClosed ? 1 : 0
      await withUniquePublicId(() => db.updateTable('typebots').set(set).where('id', '=', id).execute())
      return findTypebot(id)
    },

    async deleteTypebot(id: string) {
      return db.transaction().execute(async (trx) => {
        await trx.deleteFrom('sessions').where('typebot_id', '=', id).execute()
        const result = await trx.deleteFrom('typebots').where('id', '=', id).executeTakeFirst()
        return Number(result.numDeletedRows) > 0
      })
    },

    async listCollaborators(typebotId: string): Promise<CollaboratorRecord[]> {
      const rows = await db
        .selectFrom('collaborators')
        .innerJoin('users', 'users.id', 'collaborators.user_id')
        .select([
          'collaborators.typebot_id',
          'collaborators.user_id',
          'collaborators.type',
          'collaborators.created_at',
          'users.email',
          'users.name',
        ])
        .where('collaborators.typebot_id', '=', typebotId)
        .orderBy('collaborators.created_at')
        .execute()
      return rows.map((row) => ({
        typebotId: row.typebot_id,
        userId: row.user_id,
        email: row.email,
        name: row.name,
        type: row.type as CollaboratorType,
        createdAt: row.created_at,
      }))
    },

    async findTypebotGrants(typebot: { id: string; workspaceId: string }, userId: string) {
      const row = await prepared(
        db.selectNoFrom((eb) => [
          eb.selectFrom('members').select('role').where('workspace_id', '=', typebot.workspaceId).where('user_id', '=', userId).as('role'),
          eb
            .selectFrom('collaborators')
            .select('type')
            .where('typebot_id', '=', typebot.id)
            .where('user_id', '=', userId)
            .as('collaboration'),
        ]),
      ).executeTakeFirst()
      return {
        role: (row?.role ?? undefined) as WorkspaceRole | undefined,
        collaboration: (row?.collaboration ?? undefined) as CollaboratorType | undefined,
      }
    },

    async upsertCollaborator(typebotId: string, userId: string, type: CollaboratorType) {
      await db
        .insertInto('collaborators')
        .values({ typebot_id: typebotId, user_id: userId, type, created_at: now() })
        .onConflict((oc) => oc.columns(['typebot_id', 'user_id']).doUpdateSet({ type }))
        .execute()
    },
  }
}

async function withUniquePublicId<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write()
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('CONFLICT', 'Public ID is already taken by another typebot')
    throw error
  }
}
