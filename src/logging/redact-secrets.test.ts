import { describe, expect, it } from 'vitest'
import { serializeError } from './log-options.js'
import { redactUrlPassword, scrubSecrets } from './redact-secrets.js'

const token = 'bf_3q2-7Xk9vLw0aZbYcXdWeVfUgThSiRjQkPlOmNn'

describe('scrubSecrets', () => {
  it('removes API tokens, bearer credentials, provider keys and URL passwords from text', () => {
    const text = `token ${token}; Authorization: Bearer abc.def-ghi, key sk-proj-AbCdEfGhIjKlMnOpQrSt, postgres://app:s3cr%40t@db:5432/bots`
    const scrubbed = scrubSecrets(text)
    for (const secret of [token, 'abc.def-ghi', 'sk-proj-AbCdEfGhIjKlMnOpQrSt', 's3cr%40t']) expect(scrubbed).not.toContain(secret)
    expect(scrubbed).toContain('postgres://app:[redacted]@db:5432/bots')
  })

  it('keeps ordinary text as it is', () => {
    expect(scrubSecrets('GET /api/v1/typebots/bf_short 404')).toBe('GET /api/v1/typebots/bf_short 404')
  })
})

describe('redactUrlPassword', () => {
  it('hides the password of a connection URL and leaves the rest readable', () => {
    expect(redactUrlPassword('postgres://botflow:hunter2@db.internal:5432/botflow')).toBe('postgres://botflow:***@db.internal:5432/botflow')
    expect(redactUrlPassword('postgres://db.internal/botflow')).toBe('postgres://db.internal/botflow')
  })
})

describe('serializeError', () => {
  it('logs the error with its stack, secrets removed from both', () => {
    const serialized = serializeError(new Error(`request to https://api.example.com failed: Bearer ${token}`))
    expect(serialized.type).toBe('Error')
    expect(serialized.message).toBe('request to https://api.example.com failed: Bearer [redacted]')
    expect(serialized.stack).toContain('Bearer [redacted]')
    expect(JSON.stringify(serialized)).not.toContain(token)
  })
})
