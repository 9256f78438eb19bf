import { AppError } from '../errors.js'
import type { MemberRecord, Store, WorkspaceRole } from '../storage/store.js'
import { findOrCreateUser } from './find-or-create-user.js'

/** Gives the user with this email (created if missing) a role in the workspace; replaces a previous role. */
export async function addWorkspaceMember(
  store: Store,
  input: { workspaceId: string; email: string; role: WorkspaceRole },
): Promise<MemberRecord> {
  const workspace = await store.findWorkspace(input.workspaceId)
  if (!workspace) throw new AppError('NOT_FOUND', `Workspace ${input.workspaceId} not found`)
  const user = await findOrCreateUser(store, input.email)
  await store.upsertMember(workspace.id, user.id, input.role)
  return { workspaceId: workspace.id, userId: user.id, email: user.email, name: user.name, role: input.role }
}
