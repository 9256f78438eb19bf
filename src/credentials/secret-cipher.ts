/**
 * Secrets at rest: AES-256-GCM with a fresh 12-byte IV per sealed value. The sealed text carries a
 * version, the IV and the ciphertext with its tag. The `context` (additional authenticated data)
 * binds a value to where it is stored: a sealed value copied to another row does not open.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'

export type SecretCipher = {
  seal(plaintext: string, context: string): string
  /** Throws SecretOpenError when the key, the context or the text is not the one it was sealed with. */
  open(sealed: string, context: string): string
}

/** Its message never holds the sealed text or the plaintext. */
export class SecretOpenError extends Error {
  override readonly name = 'SecretOpenError'
}

const version = 'v1'
const ivBytes = 12
const tagBytes = 16

export function createSecretCipher(key: Buffer): SecretCipher {
  if (key.length !== 32) throw new Error('An AES-256 key has 32 bytes')
  return {
    seal(plaintext, context) {
      const iv = randomBytes(ivBytes)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      cipher.setAAD(Buffer.from(context, 'utf8'))
      const encrypted = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()])
      return `${version}.${iv.toString('base64url')}.${encrypted.toString('base64url')}`
    },
    open(sealed, context) {
      const [sealedVersion, ivText, encryptedText, ...rest] = sealed.split('.')
      if (sealedVersion !== version || ivText === undefined || encryptedText === undefined || rest.length > 0) {
        throw new SecretOpenError('The sealed value is not in a known format')
      }
      const iv = Buffer.from(ivText, 'base64url')
      const encrypted = Buffer.from(encryptedText, 'base64url')
      if (iv.length !== ivBytes || encrypted.length < tagBytes) throw new SecretOpenError('The sealed value is truncated')
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv)
        decipher.setAAD(Buffer.from(context, 'utf8'))
        decipher.setAuthTag(encrypted.subarray(encrypted.length - tagBytes))
        return Buffer.concat([decipher.update(encrypted.subarray(0, encrypted.length - tagBytes)), decipher.final()]).toString('utf8')
      } catch {
        throw new SecretOpenError('The sealed value does not open with this key')
      }
    },
  }
}
