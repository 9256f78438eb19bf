import { createUserWithToken } from '../../src/typebots/create-user-with-token.js'
import { type ApiClient, createApiClient } from './api-client.js'
import type { TestServer } from './start-server.js'

export type TestUser = { userId: string; email: string; workspaceId: string; token: string; call: ApiClient }

/**
 * A user with a token and a workspace of their own, made the way `botflow token create` does it;
 * `call` talks to the server with that token.
 */
export async function createTestUser(
  server: TestServer,
  email = `owner-${Math.random().toString(36).slice(2)}@example.com`,
): Promise<TestUser> {
  const { user, workspace, apiToken } = await createUserWithToken(server.store, { email, tokenName: 'test' })
  return {
    userId: user.id,
    email: user.email,
    workspaceId: workspace.id,
    token: apiToken.token,
    call: createApiClient(server.url, apiToken.token),
  }
}
