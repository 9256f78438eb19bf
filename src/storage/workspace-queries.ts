import type { Kysely } from 'kysely'
import type { Database } from './database.js'
import { prepared } from './prepared-queries.js'
import { toWorkspace } from './row-mappers.js'
import type { MemberRecord, Store, WorkspaceRole } from './store.js'
import { now } from './write-rules.js'

/** Workspaces and their members. */
export type WorkspaceQueries = Pick<
  Store,
  'createWorkspace' | 'findWorkspace' | 'listWorkspacesOfUser' | 'listMembers' | 'findMemberRole' | 'upsertMember'
>

export function createWorkspaceQueries(db: Kysely<Database>): WorkspaceQueries {
  return {
    async createWorkspace(workspace: { id: string; name: string; icon?: string | null }, admin: { userId: string }) {
      const row = { id: workspace.id, name: workspace.name, icon: workspace.icon ?? null, plan: 'FREE', created_at: now() }
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('workspaces').values(row).execute()
        await trx
          .insertInto('members')
          .values({ workspace_id: row.id, user_id: admin.userId, role: 'ADMIN', created_at: row.created_at })
          .execute()
      })
      return toWorkspace(row)
    },

    async findWorkspace(id: string) {
      const row = await db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst()
      return row && toWorkspace(row)
    },

    async listWorkspacesOfUser(userId: string) {
      const rows = await db
        .selectFrom('workspaces')
        .innerJoin('members', 'members.workspace_id', 'workspaces.id')
        .selectAll('workspaces')
        .select('members.role')
        .where('members.user_id', '=', userId)
        .orderBy('workspaces.created_at')
        .execute()
      return rows.map((row) => ({ ...toWorkspace(row), role: row.role as WorkspaceRole }))
    },

    async listMembers(workspaceId: string): Promise<MemberRecord[]> {
      const rows = await db
        .selectFrom('members')
        .innerJoin('users', 'users.id', 'members.user_id')
        .select(['members.workspace_id', 'members.user_id', 'members.role', 'users.email', 'users.name'])
        .where('members.workspace_id', '=', workspaceId)
        .orderBy('members.created_at')
        .execute()
      return rows.map((row) => ({
        workspaceId: row.workspace_id,
        userId: row.user_id,
        email: row.email,
        name: row.name,
        role: row.role as WorkspaceRole,
      }))
    },

    async findMemberRole(workspaceId: string, userId: string) {
      const row = await prepared(
        db.selectFrom('members').select('role').where('workspace_id', '=', workspaceId).where('user_id', '=', userId),
      ).executeTakeFirst()
      return row?.role as WorkspaceRole | undefined
    },

    async upsertMember(workspaceId: string, userId: string, role: WorkspaceRole) {
      await db
        .insertInto('members')
        .values({ workspace_id: workspaceId, user_id: userId, role, created_at: now() })
        .onConflict((oc) => oc.columns(['workspace_id', 'user_id']).doUpdateSet({ role }))
        .execute()
    },
  }
}
