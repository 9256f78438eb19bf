import type { CredentialsData } from '../credentials/credential-types.js'
import { findCredentialsFor, openCredentials } from '../credentials/resolve-credentials.js'
import type { SecretCipher } from '../credentials/secret-cipher.js'
import type { CredentialStore } from '../storage/credential-store.js'

export type OpenedWorkspaceCredentials<T extends 'smtp' | 'stripe'> =
  | { ok: true; id: string; data: CredentialsData<T> }
  | { ok: false; error: string }

/**
 * The credentials a block uses (credentials/resolve-credentials.ts), opened: their data, or the
 * reason there is none to use. The reason names credentials, never their secrets.
 */
export async function openWorkspaceCredentials<T extends 'smtp' | 'stripe'>(
  credentials: { store: CredentialStore; cipher: SecretCipher },
  type: T,
  workspaceId: string,
  credentialsId: string | undefined,
): Promise<OpenedWorkspaceCredentials<T>> {
  const found = await findCredentialsFor(credentials.store, { workspaceId, type, ...(credentialsId ? { credentialsId } : {}) })
  if (found.status === 'missing') return { ok: false, error: `Couldn't find credentials: ${found.reason}` }
  const opened = await openCredentials(credentials.store, credentials.cipher, found.id, type)
  if (!opened) return { ok: false, error: `Couldn't find credentials: "${found.name}" (${found.id}) were deleted` }
  if (opened.status === 'unreadable') {
    return {
      ok: false,
      error: `The ${type} credentials "${opened.name}" (${opened.id}) cannot be read: ENCRYPTION_SECRET is not the key they were saved with`,
    }
  }
  return { ok: true, id: opened.id, data: opened.data }
}
