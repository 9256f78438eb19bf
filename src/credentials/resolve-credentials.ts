/**
 * Which credentials a block uses, and opening them: the one path every block takes (AI, Email,
 * Stripe). The rule (docs/compatibility.md): the credentials its `credentialsId` names when they
 * belong to the session's workspace and are of the block's type; otherwise, since exported
 * typebots keep ids from another database, the workspace's only credentials of that type;
 * otherwise "Couldn't find credentials".
 */
import type { CredentialStore } from '../storage/store.js'
import type { CredentialsData, CredentialType } from './credential-types.js'
import { type OpenedCredentials, openCredentialsData } from './sealed-credentials.js'
import type { SecretCipher } from './secret-cipher.js'

export type CredentialsLookup = { workspaceId: string; type: CredentialType; credentialsId?: string }

export type FoundCredentials = { status: 'found'; id: string; name: string } | { status: 'missing'; reason: string }

/** Where credentials are read and the key that opens them. */
export type CredentialsAccess = { store: CredentialStore; cipher: SecretCipher }

/** Why a block has no credentials to use, as its error log says it; never a secret. */
export type CredentialsProblem = { description: string; details: string }

export type UsableCredentials<T extends CredentialType> =
  | { ok: true; id: string; name: string; data: CredentialsData<T> }
  | { ok: false; problem: CredentialsProblem }

/** The rule alone (no secret is opened): which credentials the block uses, or why none. */
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

/** The rule, then the chosen credentials opened (Email and Stripe blocks). */
export async function resolveCredentials<T extends CredentialType>(
  access: CredentialsAccess,
  lookup: CredentialsLookup & { type: T },
): Promise<UsableCredentials<T>> {
  const found = await findCredentialsFor(access.store, lookup)
  if (found.status === 'missing') return { ok: false, problem: { description: "Couldn't find credentials", details: found.reason } }
  return openChosenCredentials(access, found.id, lookup.type)
}

/**
 * Opens credentials the rule chose earlier: AI blocks ask for the choice (the `findCredentials`
 * effect) before they build their call, and the call opens them when it runs.
 */
export async function openChosenCredentials<T extends CredentialType>(
  access: CredentialsAccess,
  id: string,
  type: T,
): Promise<UsableCredentials<T>> {
  const opened = await openCredentials(access.store, access.cipher, id, type)
  if (!opened) return { ok: false, problem: { description: "Couldn't find credentials", details: 'They were deleted while the block ran' } }
  if (opened.status === 'unreadable') {
    const description = `Couldn't decrypt credentials "${opened.name}" (${opened.id})`
    const details = 'They were saved with another ENCRYPTION_SECRET (or key file) than this server has; nothing was sent with them.'
    return { ok: false, problem: { description, details } }
  }
  return { ok: true, id: opened.id, name: opened.name, data: opened.data }
}

/** A problem as one line, for effects that report a single error message. */
export function formatCredentialsProblem(problem: CredentialsProblem): string {
  return `${problem.description}: ${problem.details}`
}

/** Opens credentials by id (the CLI shows whether they open); undefined when they do not exist. */
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
