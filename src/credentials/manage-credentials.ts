/**
 * Workspace credentials as the management API and the CLI handle them. ADMIN and MEMBER manage
 * them; nothing returned here ever holds the secret data.
 */
import { assertWorkspaceRole } from '../access.js'
import { AppError } from '../errors.js'
import { newId } from '../ids.js'
import type { CredentialsRecord, Store, UserRecord } from '../storage/store.js'
import { type CredentialType, isCredentialType, parseCredentialsData } from './credential-types.js'
import { sealCredentialsData } from './sealed-credentials.js'
import type { SecretCipher } from './secret-cipher.js'

export type CredentialsDeps = { store: Store; cipher: SecretCipher }

/** What the API and the CLI show of credentials. */
export type CredentialsSummary = Pick<CredentialsRecord, 'id' | 'type' | 'name' | 'createdAt'>

const managers = ['ADMIN', 'MEMBER'] as const

/** `user` undefined: the CLI, which acts with the database's own authority. */
export async function createCredentials(
  deps: CredentialsDeps,
  user: UserRecord | undefined,
  input: { workspaceId: string; type: string; name: string; data: unknown },
): Promise<CredentialsSummary> {
  await assertCanManage(deps.store, user, input.workspaceId)
  const type = requireType(input.type)
  const data = parseCredentialsData(type, input.data)
  const id = newId()
  const sealedData = sealCredentialsData(deps.cipher, { id, workspaceId: input.workspaceId, type }, data)
  const created = await deps.store.credentials.createCredentials({ id, workspaceId: input.workspaceId, type, name: input.name, sealedData })
  return toSummary(created)
}

export async function listCredentials(
  deps: CredentialsDeps,
  user: UserRecord | undefined,
  workspaceId: string,
): Promise<CredentialsSummary[]> {
  await assertCanManage(deps.store, user, workspaceId)
  return (await deps.store.credentials.listCredentials(workspaceId)).map(toSummary)
}

/** A new `data` replaces the whole data (a key rotation) and is sealed with a fresh IV. */
export async function updateCredentials(
  deps: CredentialsDeps,
  user: UserRecord | undefined,
  input: { workspaceId: string; credentialsId: string; name?: string; data?: unknown },
): Promise<CredentialsSummary> {
  const existing = await findInWorkspace(deps, user, input.workspaceId, input.credentialsId)
  let sealedData: string | undefined
  if (input.data !== undefined) {
    const type = requireType(existing.type)
    sealedData = sealCredentialsData(deps.cipher, existing, parseCredentialsData(type, input.data))
  }
  const updated = await deps.store.credentials.updateCredentials(existing.id, { name: input.name, sealedData })
  if (!updated) throw notFound()
  return toSummary(updated)
}

export async function deleteCredentials(
  deps: CredentialsDeps,
  user: UserRecord | undefined,
  input: { workspaceId: string; credentialsId: string },
): Promise<void> {
  const existing = await findInWorkspace(deps, user, input.workspaceId, input.credentialsId)
  if (!(await deps.store.credentials.deleteCredentials(existing.id))) throw notFound()
}

async function findInWorkspace(deps: CredentialsDeps, user: UserRecord | undefined, workspaceId: string, credentialsId: string) {
  await assertCanManage(deps.store, user, workspaceId)
  const found = await deps.store.credentials.findCredentials(credentialsId)
  if (!found || found.workspaceId !== workspaceId) throw notFound()
  return found
}

async function assertCanManage(store: Store, user: UserRecord | undefined, workspaceId: string) {
  if (user) {
    await assertWorkspaceRole(store, user, workspaceId, managers)
    return
  }
  if (!(await store.findWorkspace(workspaceId))) throw new AppError('NOT_FOUND', 'Workspace not found')
}

function requireType(type: string): CredentialType {
  if (isCredentialType(type)) return type
  throw new AppError('INVALID_REQUEST', `Unknown credentials type "${type}"`, [{ message: 'Unknown credentials type', path: ['type'] }])
}

function notFound() {
  return new AppError('NOT_FOUND', 'Credentials not found')
}

function toSummary(record: CredentialsRecord): CredentialsSummary {
  return { id: record.id, type: record.type, name: record.name, createdAt: record.createdAt }
}
