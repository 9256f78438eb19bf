import { describe, expect, it } from 'vitest'
import { runCliCaptured, serveWithCli } from '../helpers/run-cli.js'
import { createTestDatabase } from '../helpers/start-server.js'

describe('botflow migrate', () => {
  it('applies the migrations once, then reports the database up to date', async () => {
    const database = await createTestDatabase()
    try {
      const first = await runCliCaptured(['migrate'], { DATABASE_URL: database.url })
      expect(first.code).toBe(0)
      expect(first.stdout).toContain('Applied migration 0001-initial')
      const second = await runCliCaptured(['migrate'], { DATABASE_URL: database.url })
      expect(second.code).toBe(0)
      expect(second.stdout).not.toContain('Applied')
      expect(second.stdout).toContain('already up to date')
    } finally {
      await database.drop()
    }
  })
})

describe('botflow serve', () => {
  it('serves the API until asked to stop, then exits 0 and refuses connections', async () => {
    const database = await createTestDatabase()
    try {
      const server = await serveWithCli(database.env)
      const health = await fetch(`${server.url}/api/healthz`)
      expect(await health.json()).toEqual({ status: 'ok' })
      const run = await server.stop()
      expect(run.code).toBe(0)
      expect(run.stdout).toContain('shutting down')
      await expect(fetch(`${server.url}/api/healthz`)).rejects.toThrow()
    } finally {
      await database.drop()
    }
  })

  it('publishes the demo on a first start and prints where to go next', async () => {
    const database = await createTestDatabase()
    try {
      const server = await serveWithCli({ ...database.env, BOTFLOW_DEMO: 'true' })
      const demo = await fetch(`${server.url}/api/v1/typebots/demo/startChat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      })
      expect(demo.status).toBe(200)
      const run = await server.stop()
      expect(run.stdout).toContain(`Demo chat:      ${server.url}/demo`)
      expect(run.stdout).toContain(`API reference:  ${server.url}/api/docs`)
      expect(run.stdout).toContain('npx botflow token create --email')
    } finally {
      await database.drop()
    }
  })

  it('exits 3 for an invalid PORT', async () => {
    const run = await runCliCaptured(['serve'], { PORT: 'eighty' })
    expect(run.code).toBe(3)
    expect(run.stderr).toContain('PORT')
  })
})
