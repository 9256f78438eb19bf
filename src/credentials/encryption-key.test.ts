import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ConfigError } from '../config.js'
import { loadEncryptionKey } from './encryption-key.js'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function sqliteIn(dir: string) {
  return { database: { kind: 'sqlite' as const, filename: join(dir, 'data', 'botflow.sqlite') } }
}

function newDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'botflow-key-'))
  dirs.push(dir)
  return dir
}

describe('loadEncryptionKey', () => {
  it('generates a private key file next to a SQLite database on first start, and reuses it', () => {
    const dir = newDir()
    const first = loadEncryptionKey(sqliteIn(dir))
    const path = join(dir, 'data', 'encryption.key')
    expect(first.source).toEqual({ kind: 'file', path, isNew: true })
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(readFileSync(path, 'utf8').trim().length).toBeGreaterThanOrEqual(43)
    const second = loadEncryptionKey(sqliteIn(dir))
    expect(second.source).toEqual({ kind: 'file', path, isNew: false })
    expect(second.key.equals(first.key)).toBe(true)
  })

  it('uses ENCRYPTION_SECRET when set, the same key for the same secret, and writes no file', () => {
    const dir = newDir()
    const secret = 'a-shared-secret-of-at-least-32-chars!'
    const one = loadEncryptionKey({ ...sqliteIn(dir), encryptionSecret: secret })
    const two = loadEncryptionKey({ database: { kind: 'postgres', connectionString: 'postgres://x' }, encryptionSecret: secret })
    expect(one.source).toEqual({ kind: 'environment' })
    expect(one.key.equals(two.key)).toBe(true)
    expect(one.key).toHaveLength(32)
    expect(() => statSync(join(dir, 'data', 'encryption.key'))).toThrow()
  })

  it('requires ENCRYPTION_SECRET with PostgreSQL, saying why and how', () => {
    expect(() => loadEncryptionKey({ database: { kind: 'postgres', connectionString: 'postgres://x' } })).toThrow(ConfigError)
    expect(() => loadEncryptionKey({ database: { kind: 'postgres', connectionString: 'postgres://x' } })).toThrow(
      /ENCRYPTION_SECRET is required with PostgreSQL.*at least 32 characters/,
    )
  })

  it('refuses a key file that holds no key', () => {
    const dir = newDir()
    loadEncryptionKey(sqliteIn(dir))
    writeFileSync(join(dir, 'data', 'encryption.key'), 'short\n')
    expect(() => loadEncryptionKey(sqliteIn(dir))).toThrow(/does not hold a key/)
  })
})
