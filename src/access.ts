import { AppError } from './errors.js'
import type { Store, TypebotRecord, UserRecord, WorkspaceRole } from './storage/store.js'

export type Access = 'none' | 'read' | 'write'

/**
 * Workspace roles and collaborator rights in one place. Read: any member (ADMIN, MEMBER, GUEST)
 * or any collaborator. Write: ADMIN or MEMBER, or a WRITE / FULL_ACCESS collaborator.
 */
export async function findTypebotAccess(
  store: Store,
  user: UserRecord,
  typebot: Pick<TypebotRecord, 'id' | 'workspaceId'>,
): Promise<Access> {
  const [role, collaboration] = await Promise.all([
    store.findMemberRole(typebot.workspaceId, user.id),
    store.findCollaboratorType(typebot.id, user.id),
  ])
  if (role === 'ADMIN' || role === 'MEMBER' || collaboration === 'WRITE' || collaboration === 'FULL_ACCESS') return 'write'
  if (role === 'GUEST' || collaboration === 'READ') return 'read'
  return 'none'
}

export async function assertTypebotAccess(
  store: Store,
  user: UserRecord,
  typebot: Pick<TypebotRecord, 'id' | 'workspaceId'>,
  needed: 'read' | 'write',
) {
  const access = await findTypebotAccess(store, user, typebot)
  if (access === 'write' || (access === 'read' && needed === 'read')) return
  throw new AppError('FORBIDDEN', 'Insufficient access')
}

export async function assertWorkspaceRole(
  store: Store,
  user: UserRecord,
  workspaceId: string,
  allowed: readonly WorkspaceRole[],
): Promise<WorkspaceRole> {
  const role = await store.findMemberRole(workspaceId, user.id)
  if (!role) {
    const workspace = await store.findWorkspace(workspaceId)
    if (!workspace) throw new AppError('NOT_FOUND', 'Workspace not found')
    throw new AppError('FORBIDDEN', 'Insufficient access')
  }
  if (!allowed.includes(role)) throw new AppError('FORBIDDEN', 'Insufficient access')
  return role
}
