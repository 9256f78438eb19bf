import { createHash, randomBytes } from 'node:crypto'

/** A single-use upload token: 256 random bits in the URL, only its SHA-256 stored. */
export function createUploadToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString('base64url')
  return { token, tokenHash: hashUploadToken(token) }
}

export function hashUploadToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}
