/**
 * The key that seals credentials. `ENCRYPTION_SECRET` when set; otherwise, with SQLite, a key file
 * generated on first start next to the database (so `npm start` needs no set-up); with PostgreSQL
 * the secret is required, since every process sharing the database must open the same credentials.
 */
import { hkdfSync, randomBytes } from 'node:crypto'
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { Config } from '../config.js'
import { ConfigError } from '../config.js'

export type EncryptionKeySource = { kind: 'environment' } | { kind: 'file'; path: string; isNew: boolean } | { kind: 'memory' }

export type EncryptionKey = { key: Buffer; source: EncryptionKeySource }

export const keyFileName = 'encryption.key'

export function loadEncryptionKey(config: Pick<Config, 'database' | 'encryptionSecret'>): EncryptionKey {
  if (config.encryptionSecret !== undefined) return { key: deriveKey(config.encryptionSecret), source: { kind: 'environment' } }
  const { database } = config
  if (database.kind === 'postgres') {
    throw new ConfigError(
      'ENCRYPTION_SECRET is required with PostgreSQL: every botflow process sharing the database must open the same ' +
        'credentials. Set it to a random string of at least 32 characters (for example `openssl rand -base64 32`).',
    )
  }
  // An in-memory database dies with the process, and so may its key.
  if (database.filename === ':memory:') return { key: deriveKey(randomBytes(32).toString('base64url')), source: { kind: 'memory' } }
  const path = join(dirname(database.filename), keyFileName)
  const { secret, isNew } = readOrCreateKeyFile(path)
  return { key: deriveKey(secret), source: { kind: 'file', path, isNew } }
}

/** Any secret of 32 characters or more becomes a 256-bit key. */
function deriveKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), 'botflow', 'botflow secrets v1', 32))
}

/**
 * Several processes may start on one SQLite file at once: the key is written to a private temporary
 * file and linked into place, so a reader never sees half a key and the first link wins.
 */
function readOrCreateKeyFile(path: string): { secret: string; isNew: boolean } {
  const existing = readKeyFile(path)
  if (existing !== undefined) return { secret: existing, isNew: false }
  mkdirSync(dirname(path), { recursive: true })
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  writeFileSync(temporary, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' })
  try {
    linkSync(temporary, path)
    return { secret: readKeyFileOrFail(path), isNew: true }
  } catch (error) {
    if (!isAlreadyExists(error)) throw error
    return { secret: readKeyFileOrFail(path), isNew: false }
  } finally {
    unlinkSync(temporary)
  }
}

function readKeyFile(path: string): string | undefined {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined
    throw error
  }
  const secret = text.trim()
  if (secret.length < 32) throw new ConfigError(`The key file ${path} does not hold a key of at least 32 characters`)
  return secret
}

function readKeyFileOrFail(path: string): string {
  const secret = readKeyFile(path)
  if (secret === undefined) throw new ConfigError(`The key file ${path} disappeared while botflow started`)
  return secret
}

function isAlreadyExists(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'EEXIST'
}
