import { AppError } from './errors.js'
import type { CollaboratorType, Store, TypebotRecord, UserRecord, WorkspaceRole } from './storage/store.js'

export type Access = 'none' | 'read' | 'write'

type Caller = Pick<UserRecord, 'id'>
type TypebotRef = Pick<TypebotRecord, 'id' | 'workspaceId'>

/**
 * Workspace roles and collaborator rights in one place. Read: any member (ADMIN, MEMBER, GUEST)
 * or any collaborator. Write: ADMIN or MEMBER, or a WRITE / FULL_ACCESS collaborator.
 */
export async function findTypebotAccess(store: Store, user: Caller, typebot: TypebotRef): Promise<Access> {
  const { role, collaboration } = await store.findTypebotGrants(typebot, user.id)
  if (role === 'ADMIN' || role === 'MEMBER' || collaboration === 'WRITE' || collaboration === 'FULL_ACCESS') return 'write'
  if (role === 'GUEST' || collaboration === 'READ') return 'read'
  return 'none'
}

/**
 * For routes named by a typebot id: a typebot the caller may not see answers exactly like a
 * missing one (nobody learns which ids exist); 403 is for "you see it but may not change it".
 */
export async function assertTypebotAccess(store: Store, user: Caller, typebot: TypebotRef, needed: 'read' | 'write') {
  const access = await findTypebotAccess(store, user, typebot)
  if (access === 'none') throw typebotNotFound()
  if (needed === 'write' && access !== 'write') throw insufficientAccess()
}

/** Loads a typebot for the caller: NOT_FOUND when it does not exist or is hidden, FORBIDDEN without the access needed. */
export async function requireTypebotAccess(
  store: Store,
  user: Caller,
  typebotId: string,
  needed: 'read' | 'write',
): Promise<TypebotRecord> {
  const typebot = await store.findTypebot(typebotId)
  if (!typebot) throw typebotNotFound()
  await assertTypebotAccess(store, user, typebot, needed)
  return typebot
}

/**
 * For routes named by a session id, itself an unguessable secret: their documented contract
 * (updateTypebot's reference page) is 403 "Insufficient access" for any caller without the access.
 */
export async function assertSessionTypebotAccess(store: Store, user: Caller, typebot: TypebotRef, needed: 'read' | 'write') {
  const access = await findTypebotAccess(store, user, typebot)
  if (access === 'write' || (access === 'read' && needed === 'read')) return
  throw insufficientAccess()
}

/** A workspace the caller is not a member of is "not found", like a missing one. */
export async function assertWorkspaceRole(
  store: Store,
  user: Caller,
  workspaceId: string,
  allowed: readonly WorkspaceRole[],
): Promise<WorkspaceRole> {
  const role = await store.findMemberRole(workspaceId, user.id)
  if (!role) throw new AppError('NOT_FOUND', 'Workspace not found')
  if (!allowed.includes(role)) throw insufficientAccess()
  return role
}

const collaboratorRank: Record<CollaboratorType, number> = { READ: 1, WRITE: 2, FULL_ACCESS: 3 }

/**
 * Only workspace ADMINs and FULL_ACCESS collaborators manage a typebot's collaborators, and nobody
 * grants more than they hold (an ADMIN holds everything).
 */
export async function assertCanGrantCollaboration(store: Store, user: Caller, typebot: TypebotRef, granted: CollaboratorType) {
  const { role, collaboration } = await store.findTypebotGrants(typebot, user.id)
  if (role === 'ADMIN') return
  if (collaboration === 'FULL_ACCESS' && collaboratorRank[granted] <= collaboratorRank[collaboration]) return
  if (!role && !collaboration) throw typebotNotFound()
  throw new AppError('FORBIDDEN', 'Only workspace admins and FULL_ACCESS collaborators manage collaborators')
}

function typebotNotFound() {
  return new AppError('NOT_FOUND', 'Typebot not found')
}

function insufficientAccess() {
  return new AppError('FORBIDDEN', 'Insufficient access')
}
