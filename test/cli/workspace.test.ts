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

describe('botflow workspace add-member', () => {
  it('adds a new user with a role, then changes the role', async () => {
    const ownerToken = lastLine((await runCliCaptured(['token', 'create', '--email', 'owner@example.com'], env)).stdout)
    const workspaceId = (await get('/v1/workspaces', ownerToken)).body.workspaces[0].id

    const added = await runCliCaptured(['workspace', 'add-member', '--workspace', workspaceId, '--email', 'guest@example.com', '--role', 'guest'], env)
    expect(added.code).toBe(0)
    expect(added.stdout).toContain('guest@example.com')
    const roleOf = async () => (await get(`/v1/workspaces/${workspaceId}/members`, ownerToken)).body.members.find((member: { user: { email: string } }) => member.user.email === 'guest@example.com')?.role
    expect(await roleOf()).toBe('GUEST')

    const guestToken = lastLine((await runCliCaptured(['token', 'create', '--email', 'guest@example.com'], env)).stdout)
    expect((await get(`/v1/workspaces/${workspaceId}`, guestToken)).body.currentUserMode).toBe('guest')

    expect((await runCliCaptured(['workspace', 'add-member', '--workspace', workspaceId, '--email', 'guest@example.com', '--role', 'MEMBER'], env)).code).toBe(0)
    expect(await roleOf()).toBe('MEMBER')
  })

  it('exits 5 for an unknown workspace', async () => {
    const run = await runCliCaptured(['workspace', 'add-member', '--workspace', 'nope', '--email', 'x@example.com', '--role', 'MEMBER'], env)
    expect(run.code).toBe(5)
    expect(run.stderr).toContain('Workspace nope not found')
  })
})
