import { describe, expect, it } from 'vitest'
import { lastLine, useServedDatabase } from '../helpers/run-cli.js'

const cli = useServedDatabase()

describe('botflow token create', () => {
  it('creates the user, a workspace where they are ADMIN, and a working token printed last', async () => {
    const run = await cli.run(['token', 'create', '--email', 'Ada@Example.com', '--name', 'laptop'])
    expect(run.code).toBe(0)
    const token = lastLine(run.stdout)
    expect(token).toMatch(/^bf_\S+$/)
    const workspaces = await cli.get('/v1/workspaces', token)
    expect(workspaces.status).toBe(200)
    expect(workspaces.body.workspaces).toEqual([expect.objectContaining({ name: "ada's workspace" })])
    const members = await cli.get(`/v1/workspaces/${workspaces.body.workspaces[0].id}/members`, token)
    expect(members.body.members).toEqual([
      expect.objectContaining({ role: 'ADMIN', user: expect.objectContaining({ email: 'ada@example.com' }) }),
    ])
    const tokens = await cli.get('/v1/users/me/api-tokens', token)
    expect(tokens.body.apiTokens).toEqual([expect.objectContaining({ name: 'laptop' })])
  })

  it('reuses the existing user and workspace for a second token; both tokens work', async () => {
    const first = lastLine((await cli.run(['token', 'create', '--email', 'grace@example.com'])).stdout)
    const second = await cli.run(['token', 'create', '--email', 'grace@example.com'])
    expect(second.code).toBe(0)
    expect(lastLine(second.stdout)).not.toBe(first)
    for (const token of [first, lastLine(second.stdout)]) expect((await cli.get('/v1/workspaces', token)).body.workspaces).toHaveLength(1)
    expect((await cli.get('/v1/users/me/api-tokens', first)).body.apiTokens.map((token: { name: string }) => token.name)).toEqual([
      'CLI',
      'CLI',
    ])
  })

  it('refuses an invalid email with exit code 4 and creates nobody', async () => {
    const run = await cli.run(['token', 'create', '--email', 'not-an-email'])
    expect(run.code).toBe(4)
    expect(run.stderr).toContain('Invalid email')
    expect(run.stdout).toBe('')
  })
})
