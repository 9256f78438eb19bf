import { describe, expect, it } from 'vitest'
import { isRecord } from '../../src/json-record.js'
import { lastLine, runCliCaptured, serveWithCli } from '../helpers/run-cli.js'
import { createTestDatabase } from '../helpers/start-server.js'

/** What `botflow serve` prints: one banner on a terminal, JSON lines elsewhere, never a secret. */
async function withDatabase(run: (databaseEnv: Record<string, string>) => Promise<void>) {
  const database = await createTestDatabase()
  try {
    // DATABASE_URL, and ENCRYPTION_SECRET on PostgreSQL (which requires it).
    await run(database.env)
  } finally {
    await database.drop()
  }
}

function jsonLinesOf(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const record: unknown = JSON.parse(line)
      if (!isRecord(record)) throw new Error(`not a JSON object: ${line}`)
      return record
    })
}

describe('botflow serve output', () => {
  it('prints one banner and one readable line per request on a terminal, no "listening" lines', async () => {
    await withDatabase(async (databaseEnv) => {
      const server = await serveWithCli({ ...databaseEnv, LOG_FORMAT: 'pretty', LOG_LEVEL: 'info', HOST: '0.0.0.0' })
      expect((await fetch(`${server.url}/api/healthz`)).status).toBe(200)
      const { stdout } = await server.stop()
      expect(stdout.match(/is ready on/g)).toHaveLength(1)
      expect(stdout).toMatch(/^botflow \S+ is ready on http:\/\/localhost:\d+$/m)
      expect(stdout).toMatch(/^ {2}Database: +(SQLite|PostgreSQL) /m)
      // Where the key that seals credentials is: generated next to a SQLite file, or the variable.
      expect(stdout).toMatch(/^ {2}Secret key: +(ENCRYPTION_SECRET|\S+\/encryption\.key \(generated now; keep it with the database\))$/m)
      expect(stdout).not.toMatch(/listening/i)
      expect(stdout).toMatch(/^\d\d:\d\d:\d\d INFO {2}GET \/api\/healthz 200 [\d.]+ ms$/m)
      expect(stdout).not.toMatch(/^\{/m)
    })
  })

  it('writes only JSON lines when stdout is not a terminal, the banner as one "botflow is ready" record', async () => {
    await withDatabase(async (databaseEnv) => {
      const server = await serveWithCli({ ...databaseEnv, LOG_FORMAT: 'auto', LOG_LEVEL: 'info' })
      await fetch(`${server.url}/api/healthz?probe=1`)
      const { stdout } = await server.stop()
      const records = jsonLinesOf(stdout)
      expect(records.filter((record) => record.msg === 'botflow is ready')).toEqual([
        expect.objectContaining({
          url: server.url,
          database: expect.stringMatching(/^SQLite |^PostgreSQL /),
          docsUrl: `${server.url}/api/docs`,
        }),
      ])
      expect(records).toContainEqual(
        expect.objectContaining({ msg: 'request completed', req: { method: 'GET', url: '/api/healthz' }, res: { statusCode: 200 } }),
      )
      expect(records).toContainEqual(expect.objectContaining({ msg: 'Stop requested: shutting down' }))
      expect(records.some((record) => String(record.msg).includes('listening'))).toBe(false)
    })
  })

  it('never writes an API token to the log, even at LOG_LEVEL=trace', async () => {
    await withDatabase(async (databaseEnv) => {
      const server = await serveWithCli({ ...databaseEnv, LOG_FORMAT: 'json', LOG_LEVEL: 'trace' })
      const token = lastLine((await runCliCaptured(['token', 'create', '--email', 'ops@example.com'], databaseEnv)).stdout)
      const auth = { authorization: `Bearer ${token}` }
      expect((await fetch(`${server.url}/api/v1/workspaces`, { headers: auth })).status).toBe(200)
      const wrongToken = `bf_${'x'.repeat(43)}`
      expect((await fetch(`${server.url}/api/v1/workspaces`, { headers: { authorization: `Bearer ${wrongToken}` } })).status).toBe(401)
      const created = await fetch(`${server.url}/api/v1/users/me/api-tokens`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'second' }),
      })
      const secondToken = ((await created.json()) as { apiToken: { token: string } }).apiToken.token
      expect(secondToken).toMatch(/^bf_/)
      await fetch(`${server.url}/api/v1/workspaces?token=${token}`, { headers: { authorization: `Bearer ${secondToken}` } })
      const { stdout } = await server.stop()
      expect(jsonLinesOf(stdout).filter((record) => record.msg === 'request completed')).toHaveLength(4)
      for (const secret of [token, wrongToken, secondToken]) expect(stdout).not.toContain(secret)
    })
  })
})
