import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createSecretCipher, SecretOpenError } from './secret-cipher.js'

const cipher = createSecretCipher(randomBytes(32))

describe('createSecretCipher', () => {
  it('opens what it sealed, and never seals twice to the same text', () => {
    const first = cipher.seal('{"apiKey":"sk-abc"}', 'credentials:1')
    const second = cipher.seal('{"apiKey":"sk-abc"}', 'credentials:1')
    expect(first).not.toBe(second)
    expect(first).not.toContain('sk-abc')
    expect(first).toMatch(/^v1\.[\w-]{16}\.[\w-]+$/)
    expect(cipher.open(first, 'credentials:1')).toBe('{"apiKey":"sk-abc"}')
    expect(cipher.open(second, 'credentials:1')).toBe('{"apiKey":"sk-abc"}')
  })

  it('refuses another key, another context, and any change to the sealed text', () => {
    const sealed = cipher.seal('secret', 'credentials:1')
    expect(() => createSecretCipher(randomBytes(32)).open(sealed, 'credentials:1')).toThrow(SecretOpenError)
    expect(() => cipher.open(sealed, 'credentials:2')).toThrow(SecretOpenError)
    const [version, iv, body] = sealed.split('.') as [string, string, string]
    const flipped = `${body.slice(0, -2)}${body.endsWith('AA') ? 'AB' : 'AA'}`
    expect(() => cipher.open(`${version}.${iv}.${flipped}`, 'credentials:1')).toThrow(SecretOpenError)
    expect(() => cipher.open('v2.x.y', 'credentials:1')).toThrow(SecretOpenError)
    expect(() => cipher.open(`${version}.${iv}`, 'credentials:1')).toThrow(SecretOpenError)
  })

  it('says why it failed without repeating the sealed text', () => {
    const sealed = cipher.seal('secret', 'a')
    try {
      cipher.open(sealed, 'b')
      expect.unreachable()
    } catch (error) {
      expect(String(error)).not.toContain(sealed.split('.')[2])
    }
  })
})
