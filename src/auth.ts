import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { AppError } from './errors.js'
import type { Store, UserRecord } from './storage/store.js'

const tokenPrefix = 'bf_'

/**
 * A token's `last_used_at` is kept to the minute: written on every request, it cost every
 * authenticated call a commit of its own (on SQLite a WAL commit, on PostgreSQL a round trip
 * and an fsync) for a date that only says whether a token is still in use.
 */
const lastUsedPrecisionMs = 60_000

/** A new API token: the secret is shown once, only its SHA-256 hash is stored. */
export function generateApiToken(): { token: string; tokenHash: string } {
  const token = tokenPrefix + randomBytes(32).toString('base64url')
  return { token, tokenHash: hashApiToken(token) }
}

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/** Reads `Authorization: Bearer <token>` (scheme case-insensitive); anything else counts as missing. */
export function readBearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined
  const match = /^bearer\s+(\S+)\s*$/i.exec(header)
  return match?.[1]
}

/** Resolves the caller of a protected endpoint, or throws UNAUTHENTICATED. */
export async function authenticate(store: Store, authorizationHeader: string | undefined): Promise<UserRecord> {
  const token = readBearerToken(authorizationHeader)
  if (!token) throw new AppError('UNAUTHENTICATED', 'Authorization not provided')
  const tokenHash = hashApiToken(token)
  const found = await store.findApiTokenByHash(tokenHash)
  // The lookup is by hash (an index); the comparison of the hashes is constant-time anyway.
  if (!found || !timingSafeEqual(Buffer.from(found.token.tokenHash, 'hex'), Buffer.from(tokenHash, 'hex'))) {
    throw new AppError('UNAUTHENTICATED', 'You must be authenticated to access this resource')
  }
  const { token: stored, user } = found
  if (stored.lastUsedAt === null || Date.now() - Date.parse(stored.lastUsedAt) >= lastUsedPrecisionMs) {
    void store.touchApiToken(stored.id).catch(() => undefined)
  }
  return user
}
