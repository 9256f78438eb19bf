import { newId } from '../ids.js'
import type { ApiTokenRecord, Store, UserRecord, WorkspaceRecord } from '../storage/store.js'
import { createApiToken } from './create-api-token.js'
import { findOrCreateUser } from './find-or-create-user.js'

export type UserWithToken = {
  user: UserRecord
  /** The user's first workspace; created (with the user as ADMIN) when they had none. */
  workspace: WorkspaceRecord
  isNewWorkspace: boolean
  apiToken: ApiTokenRecord & { token: string }
}

/** `botflow token create`: the user, a workspace of theirs, and a new API token. */
export async function createUserWithToken(store: Store, input: { email: string; tokenName?: string }): Promise<UserWithToken> {
  const user = await findOrCreateUser(store, input.email)
  const [existing] = await store.listWorkspacesOfUser(user.id)
  const workspace =
    existing ?? (await store.createWorkspace({ id: newId(), name: `${user.email.split('@')[0]}'s workspace` }, { userId: user.id }))
  const apiToken = await createApiToken(store, user.id, input.tokenName ?? 'CLI')
  return { user, workspace, isNewWorkspace: !existing, apiToken }
}
