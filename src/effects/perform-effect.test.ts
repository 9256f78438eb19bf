import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSecretCipher } from '../credentials/secret-cipher.js'
import { createStore } from '../storage/create-store.js'
import type { Store } from '../storage/store.js'
import type { EffectPerformer } from './perform-effect.js'
import { createEffectPerformer } from './perform-effect.js'
import { createSandbox, type Sandbox } from './sandbox.js'

const server = createServer((request, response) => response.end(`hello from ${request.url}`))
let origin: string
let performLocal: EffectPerformer['perform']
let performStrict: EffectPerformer['perform']
let store: Store
let sandbox: Sandbox

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  sandbox = createSandbox({ timeoutMs: 2_000 })
  store = await createStore({ kind: 'sqlite', filename: ':memory:' })
  const credentials = { store: store.credentials, cipher: createSecretCipher(randomBytes(32)) }
  performLocal = createEffectPerformer({ sandbox, credentials, http: { allowPrivateTargets: true, defaultTimeoutMs: 1_000 } }).perform
  performStrict = createEffectPerformer({ sandbox, credentials, http: { allowPrivateTargets: false, defaultTimeoutMs: 1_000 } }).perform
})

afterAll(async () => {
  await sandbox.close()
  await store.close()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

describe('createEffectPerformer', () => {
  it('performs HTTP requests', async () => {
    const result = await performLocal({ type: 'httpRequest', request: { url: `${origin}/ping`, method: 'GET', headers: {} } })
    expect(result).toEqual({ type: 'httpRequest', response: { statusCode: 200, data: 'hello from /ping', text: 'hello from /ping' } })
  })

  it('runs server scripts whose fetch goes through the same HTTP policy', async () => {
    const script = {
      type: 'runServerScript' as const,
      content: `setVariable("Reply", await fetch("${origin}/from-script"))`,
      variables: [],
    }
    expect(await performLocal(script)).toEqual({
      type: 'runServerScript',
      ok: true,
      variablesToSet: [{ name: 'Reply', value: 'hello from /from-script' }],
    })

    const refused = await performStrict(script)
    expect(refused).toMatchObject({ type: 'runServerScript', ok: false, variablesToSet: [] })
    expect(refused.type === 'runServerScript' && refused.error).toMatch(/^Error: Security validation failed: loopback address/)
  })

  it('answers that SMTP is not configured for emails when it has no sender', async () => {
    const result = await performLocal({
      type: 'sendEmail',
      email: { to: ['someone@example.com'], subject: 'Hi', text: 'Hello' },
      sender: { workspaceId: 'w' },
      origin: { typebotId: 't' },
    })
    expect(result).toEqual({ type: 'sendEmail', ok: false, error: 'SMTP is not configured' })
  })

  it.each([
    { type: 'loadTypebot' as const, typebotId: 't', isPreview: false, workspaceId: 'w' },
    { type: 'loadHistory' as const, resultId: 'r' },
  ])('leaves the storage read $type to the session shell', async (request) => {
    await expect(performLocal(request)).rejects.toThrow(/storage read/)
  })
})
