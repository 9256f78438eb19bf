import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createWorkspaceResponseSchema, getWorkspaceResponseSchema, listMembersResponseSchema } from '../../src/schemas/management-api.js'
import { addWorkspaceMember } from '../../src/typebots/add-workspace-member.js'
import { type ApiClient, createApiClient } from '../helpers/api-client.js'
import { expectBuilderApiShape } from '../helpers/builder-api-validator.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { createTestUser, type TestUser } from '../helpers/users.js'

let server: TestServer
let call: ApiClient
let owner: TestUser

beforeAll(async () => {
  server = await startTestServer()
  call = createApiClient(server.url)
  owner = await createTestUser(server, 'owner@example.com')
})
afterAll(async () => server.close())

describe('workspaces', () => {
  it("lists the caller's workspaces only", async () => {
    await createTestUser(server, 'someone-else@example.com')
    const response = await call('GET', '/v1/workspaces', { token: owner.token })
    expect([response.status, response.body]).toEqual([
      200,
      { workspaces: [{ id: owner.workspaceId, name: "owner's workspace", icon: null, plan: 'FREE' }] },
    ])
    expectBuilderApiShape(response)
  })

  it('creates a workspace where the caller is ADMIN', async () => {
    const response = await call('POST', '/v1/workspaces', { token: owner.token, body: { name: 'Team', icon: '🤖' } })
    expect(response.status).toBe(200)
    expectBuilderApiShape(response)
    const { workspace } = createWorkspaceResponseSchema.parse(response.body)
    expect(workspace).toMatchObject({ name: 'Team', icon: '🤖', plan: 'FREE' })
    const readResponse = await call('GET', `/v1/workspaces/${workspace.id}`, { token: owner.token })
    expectBuilderApiShape(readResponse)
    const read = getWorkspaceResponseSchema.parse(readResponse.body)
    expect(read).toMatchObject({ workspace: { id: workspace.id, name: 'Team' }, currentUserMode: 'write' })
    const members = await call('GET', `/v1/workspaces/${workspace.id}/members`, { token: owner.token })
    expectBuilderApiShape(members)
    expect(members.body.members).toEqual([
      { workspaceId: workspace.id, userId: owner.userId, role: 'ADMIN', user: { name: null, email: owner.email, image: null } },
    ])
    const list = await call('GET', '/v1/workspaces', { token: owner.token })
    expect(list.body.workspaces.map((item: { id: string }) => item.id)).toContain(workspace.id)
  })

  it('lists no invitations: members are added directly', async () => {
    const response = await call('GET', `/v1/workspaces/${owner.workspaceId}/invitations`, { token: owner.token })
    expect([response.status, response.body]).toEqual([200, { invitations: [] }])
    expectBuilderApiShape(response)
  })

  it('refuses a workspace without a name', async () => {
    const response = await call('POST', '/v1/workspaces', { token: owner.token, body: { icon: 'x' } })
    expect(response.status).toBe(400)
    expectBuilderApiShape(response)
    expect(response.body.issues).toContainEqual(expect.objectContaining({ path: ['name'] }))
  })

  it.each([
    ['MEMBER', 'read'],
    ['GUEST', 'guest'],
  ] as const)('shows a %s the workspace (currentUserMode %s) and its members', async (role, mode) => {
    const user = await createTestUser(server, `${role.toLowerCase()}@example.com`)
    await addWorkspaceMember(server.store, { workspaceId: owner.workspaceId, email: user.email, role })
    const read = await call('GET', `/v1/workspaces/${owner.workspaceId}`, { token: user.token })
    expect(read.status).toBe(200)
    expectBuilderApiShape(read)
    expect(read.body.currentUserMode).toBe(mode)
    const membersResponse = await call('GET', `/v1/workspaces/${owner.workspaceId}/members`, { token: user.token })
    expectBuilderApiShape(membersResponse)
    const members = listMembersResponseSchema.parse(membersResponse.body)
    expect(members.members).toContainEqual({
      workspaceId: owner.workspaceId,
      userId: user.userId,
      role,
      user: { name: null, email: user.email, image: null },
    })
  })

  it('answers outsiders 404, as for an unknown workspace', async () => {
    const outsider = await createTestUser(server, 'outsider@example.com')
    for (const path of [
      `/v1/workspaces/${owner.workspaceId}`,
      `/v1/workspaces/${owner.workspaceId}/members`,
      `/v1/workspaces/${owner.workspaceId}/invitations`,
      '/v1/workspaces/unknown/members',
    ]) {
      const response = await call('GET', path, { token: outsider.token })
      expect(response.status).toBe(404)
      expectBuilderApiShape(response)
    }
  })
})
