import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCliCaptured } from '../helpers/run-cli.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'

let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
})
afterAll(async () => server.close())

describe('health and errors', () => {
  it('answers GET /api/healthz with status ok', async () => {
    const response = await fetch(`${server.url}/api/healthz`)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ status: 'ok' })
  })

  it('answers GET /api/readyz with status ready once the database answers and is migrated', async () => {
    const response = await fetch(`${server.url}/api/readyz`)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ status: 'ready' })
  })

  it('answers GET /api/readyz 503 while migrations are pending, and ready after `botflow migrate`', async () => {
    // As a worker of `serve --workers N` does: it leaves migrating to the primary.
    const unmigrated = await startTestServer({}, { migrate: false })
    try {
      const pending = await fetch(`${unmigrated.url}/api/readyz`)
      expect(pending.status).toBe(503)
      expect(await pending.json()).toEqual({
        code: 'SERVICE_UNAVAILABLE',
        message: expect.stringMatching(/^Not ready: migrations not applied: 0001-initial, /),
      })
      expect((await fetch(`${unmigrated.url}/api/healthz`)).status).toBe(200)
      const { database } = unmigrated.config
      const url = database.kind === 'sqlite' ? `file:${database.filename}` : database.connectionString
      const secret = unmigrated.config.encryptionSecret
      expect((await runCliCaptured(['migrate'], { DATABASE_URL: url, ...(secret ? { ENCRYPTION_SECRET: secret } : {}) })).code).toBe(0)
      const ready = await fetch(`${unmigrated.url}/api/readyz`)
      expect(ready.status).toBe(200)
    } finally {
      await unmigrated.close()
    }
  })

  it('answers 404 NOT_FOUND with the error body for an unknown route', async () => {
    const response = await fetch(`${server.url}/api/nope`)
    expect(response.status).toBe(404)
    const body = await response.json()
    expect(body).toMatchObject({ code: 'NOT_FOUND' })
    expect(typeof body.message).toBe('string')
  })

  it('serves the OpenAPI document', async () => {
    const response = await fetch(`${server.url}/api/openapi.json`)
    expect(response.status).toBe(200)
    const document = await response.json()
    expect(document.paths['/api/healthz']).toBeDefined()
  })
})
