import type { Store } from '../../src/storage/store.js'
import { createUserWithToken } from '../../src/typebots/create-user-with-token.js'

export type TestUser = { userId: string; email: string; workspaceId: string; token: string }

/** A user with a token and a workspace of their own, made the way `botflow token create` does it. */
export async function createTestUser(store: Store, email: string): Promise<TestUser> {
  const created = await createUserWithToken(store, { email, tokenName: 'test' })
  return { userId: created.user.id, email: created.user.email, workspaceId: created.workspace.id, token: created.apiToken.token }
}
