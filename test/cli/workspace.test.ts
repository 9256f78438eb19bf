import { describe, expect, it } from 'vitest'
import { lastLine, useServedDatabase } from '../helpers/run-cli.js'

const cli = useServedDatabase()

describe('botflow workspace add-member', () => {
  it('adds a new user with a role, then changes the role', async () => {
    const ownerToken = lastLine((await cli.run(['token', 'create', '--email', 'owner@example.com'])).stdout)
    const workspaceId = (await cli.get('/v1/workspaces', ownerToken)).body.workspaces[0].id

    const added = await cli.run(['workspace', 'add-member', '--workspace', workspaceId, '--email', 'guest@example.com', '--role', 'guest'])
    expect(added.code).toBe(0)
    expect(added.stdout).toContain('guest@example.com')
    const roleOf = async () =>
      (await cli.get(`/v1/workspaces/${workspaceId}/members`, ownerToken)).body.members.find(
        (member: { user: { email: string } }) => member.user.email === 'guest@example.com',
      )?.role
    expect(await roleOf()).toBe('GUEST')

    const guestToken = lastLine((await cli.run(['token', 'create', '--email', 'guest@example.com'])).stdout)
    expect((await cli.get(`/v1/workspaces/${workspaceId}`, guestToken)).body.currentUserMode).toBe('guest')

    expect(
      (await cli.run(['workspace', 'add-member', '--workspace', workspaceId, '--email', 'guest@example.com', '--role', 'MEMBER'])).code,
    ).toBe(0)
    expect(await roleOf()).toBe('MEMBER')
  })

  it('exits 5 for an unknown workspace', async () => {
    const run = await cli.run(['workspace', 'add-member', '--workspace', 'nope', '--email', 'x@example.com', '--role', 'MEMBER'])
    expect(run.code).toBe(5)
    expect(run.stderr).toContain('Workspace nope not found')
  })
})
