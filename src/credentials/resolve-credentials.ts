/**
 * Which credentials a block uses (docs/compatibility.md): the ones its `credentialsId` names when
 * they belong to the session's workspace and are of the block's type; otherwise, since exported
 * typebots keep ids from another database, the workspace's only credentials of that type.
 */
import type { CredentialStore } from '../storage/store.js'
import type { CredentialType } from './credential-types.js'
import { type OpenedCredentials, openCredentialsData } from './sealed-credentials.js'
import type { SecretCipher } from './secret-cipher.js'

export type CredentialsLookup = { workspaceId: string; type: CredentialType; credentialsId?: string }

export type FoundCredentials = { status: 'found'; id: string; name: string } | { status: 'missing'; reason: string }

export async function findCredentialsFor(store: CredentialStore, lookup: CredentialsLookup): Promise<FoundCredentials> {
  const { workspaceId, type, credentialsId } = lookup
  if (credentialsId) {
    const named = await store.findCredentials(credentialsId)
    if (named && named.workspaceId === workspaceId && named.type === type) return { status: 'found', id: named.id, name: named.name }
  }
  const candidates = await store.listCredentials(workspaceId, { type })
  const [only, ...others] = candidates
  if (only && others.length === 0) return { status: 'found', id: only.id, name: only.name }
  if (!only) return { status: 'missing', reason: `This workspace has no ${type} credentials` }
  return { status: 'missing', reason: `This workspace has ${candidates.length} ${type} credentials and the block names none of them` }
}

/** Opens credentials found by `findCredentialsFor`; undefined when they were deleted since. */
export async function openCredentials<T extends CredentialType>(
  store: CredentialStore,
  cipher: SecretCipher,
  id: string,
  type: T,
): Promise<OpenedCredentials<T> | undefined> {
  const record = await store.findCredentials(id)
  if (!record || record.type !== type) return undefined
  return openCredentialsData(cipher, record, type)
}
