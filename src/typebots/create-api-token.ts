import { generateApiToken } from '../auth.js'
import { newId } from '../ids.js'
import type { ApiTokenRecord, Store } from '../storage/store.js'

/** A new API token of the user; `token` is the secret, returned here and never again. */
export async function createApiToken(store: Store, userId: string, name: string): Promise<ApiTokenRecord & { token: string }> {
  const { token, tokenHash } = generateApiToken()
  const record = await store.createApiToken({ id: newId(), userId, name, tokenHash })
  return { ...record, token }
}
