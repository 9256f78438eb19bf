import type { CollaboratorType, WorkspaceRole } from '../storage/store.js'

export type UserMode = 'read' | 'write' | 'guest'

/** Typebot's currentUserMode of a typebot: write access wins; a GUEST without it is a "guest". */
export function findTypebotUserMode(role: WorkspaceRole | undefined, collaboration: CollaboratorType | undefined): UserMode {
  if (role === 'ADMIN' || role === 'MEMBER' || collaboration === 'WRITE' || collaboration === 'FULL_ACCESS') return 'write'
  if (collaboration === 'READ') return 'read'
  return 'guest'
}

/** Typebot's currentUserMode of a workspace: only an ADMIN writes its settings. */
export function findWorkspaceUserMode(role: WorkspaceRole): UserMode {
  if (role === 'ADMIN') return 'write'
  return role === 'GUEST' ? 'guest' : 'read'
}
