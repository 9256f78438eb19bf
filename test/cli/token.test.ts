import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../helpers/start-server.js'
import { lastLine, runCliCaptured, serveWithCli, type CliServer } from '../helpers/run-cli.js'

let database: TestDatabase
let server: CliServer
let env: Record<string, string>

beforeAll(async () => {
  database = await createTestDatabase()
  env = { DATABASE_URL: database.url }
  server = await serveWithCli(env)
})
afterAll(async () => {
  await server.stop()
  await database.drop()
})

async function get(path: string, token: string) {
  const response = await fetch(`${server.url}/api${path}`, { headers: { authorization: `Bearer ${token}` } })
  return { status: response.status, body: await response.json() }
}

describe('botflow token create', () => {
  it('creates the user, a workspace where they are ADMIN, and a working token printed last', async () => {
    const run = await runCliCaptured(['token', 'create', '--email', 'Ada@Example.com', '--name', 'laptop'], env)
    expect(run.code).toBe(0)
    const token = lastLine(run.stdout)
    expect(token).toMatch(/^bf_\S+$/)
    const workspaces = await get('/v1/workspaces', token)
    expect(workspaces.status).toBe(200)
    expect(workspaces.body.workspaces).toEqual([expect.objectContaining({ name: "ada's workspace" })])
    const members = await get(`/v1/workspaces/${workspaces.body.workspaces[0].id}/members`, token)
    expect(members.body.members).toEqual([expect.objectContaining({ role: 'ADMIN', user: expect.objectContaining({ email: 'ada@example.com' }) })])
    const tokens = await get('/v1/users/me/api-tokens', token)
    expect(tokens.body.apiTokens).toEqual([expect.objectContaining({ name: 'laptop' })])
  })

  it('reuses the existing user and workspace for a second token; both tokens work', async () => {
    const first = lastLine((await runCliCaptured(['token', 'create', '--email', 'grace@example.com'], env)).stdout)
    const second = await runCliCaptured(['token', 'create', '--email', 'grace@example.com'], env)
    expect(second.code).toBe(0)
    expect(lastLine(second.stdout)).not.toBe(first)
    for (const token of [first, lastLine(second.stdout)]) expect((await get('/v1/workspaces', token)).body.workspaces).toHaveLength(1)
    expect((await get('/v1/users/me/api-tokens', first)).body.apiTokens.map((token: { name: string }) => token.name)).toEqual(['CLI', 'CLI'])
  })

  it('refuses an invalid email with exit code 4 and creates nobody', async () => {
    const run = await runCliCaptured(['token', 'create', '--email', 'not-an-email'], env)
    expect(run.code).toBe(4)
    expect(run.stderr).toContain('Invalid email')
    expect(run.stdout).toBe('')
  })
})
