import type { SealedCredentialsRecord } from '../storage/store.js'
import { type CredentialsData, type CredentialType, credentialTypes } from './credential-types.js'
import { type SecretCipher, SecretOpenError } from './secret-cipher.js'

type Identity = { id: string; workspaceId: string; type: string }

/** The sealed form of credentials data, bound to its row: copied to another id or workspace, it does not open. */
export function sealCredentialsData(cipher: SecretCipher, identity: Identity, data: Record<string, unknown>): string {
  return cipher.seal(JSON.stringify(data), contextOf(identity))
}

export type OpenedCredentials<T extends CredentialType> =
  | { status: 'open'; id: string; name: string; data: CredentialsData<T> }
  /** The key is not the one they were sealed with (another ENCRYPTION_SECRET), or the row was altered. */
  | { status: 'unreadable'; id: string; name: string }

export function openCredentialsData<T extends CredentialType>(
  cipher: SecretCipher,
  record: SealedCredentialsRecord,
  type: T,
): OpenedCredentials<T> {
  const unreadable = { status: 'unreadable', id: record.id, name: record.name } as const
  let plaintext: string
  try {
    plaintext = cipher.open(record.sealedData, contextOf(record))
  } catch (error) {
    if (error instanceof SecretOpenError) return unreadable
    throw error
  }
  const parsed = credentialTypes[type].safeParse(parseJson(plaintext))
  return parsed.success ? { status: 'open', id: record.id, name: record.name, data: parsed.data } : unreadable
}

function contextOf(identity: Identity): string {
  return `credentials:${identity.id}:${identity.workspaceId}:${identity.type}`
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
