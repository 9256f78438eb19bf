import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiTokenResponseSchema, listApiTokensResponseSchema } from '../../src/schemas/management-api.js'
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

describe('API tokens', () => {
  it('creates a token whose secret is shown once and works', async () => {
    const created = await call('POST', '/v1/users/me/api-tokens', { token: owner.token, body: { name: 'Zapier' } })
    expect(created.status).toBe(200)
    expectBuilderApiShape(created)
    const { apiToken } = createApiTokenResponseSchema.parse(created.body)
    expect(apiToken.name).toBe('Zapier')
    expect((await call('GET', '/v1/workspaces', { token: apiToken.token })).status).toBe(200)

    const list = await call('GET', '/v1/users/me/api-tokens', { token: owner.token })
    expectBuilderApiShape(list)
    const { apiTokens } = listApiTokensResponseSchema.parse(list.body)
    expect(apiTokens).toContainEqual({ id: apiToken.id, name: 'Zapier', createdAt: apiToken.createdAt })
    expect(JSON.stringify(list.body)).not.toContain(apiToken.token)
    expect(list.body.apiTokens.every((token: object) => !('token' in token))).toBe(true)
  })

  it('deletes a token: it is refused afterwards', async () => {
    const { apiToken } = (await call('POST', '/v1/users/me/api-tokens', { token: owner.token, body: { name: 'Temporary' } })).body
    const deleted = await call('DELETE', `/v1/users/me/api-tokens/${apiToken.id}`, { token: owner.token })
    expect([deleted.status, deleted.body]).toEqual([
      200,
      { apiToken: { id: apiToken.id, name: 'Temporary', createdAt: apiToken.createdAt, ownerId: owner.userId } },
    ])
    // Typebot answers the deleted row with its secret; botflow never shows a secret again.
    expectBuilderApiShape(deleted, { missing: ['/apiToken/token'] })
    const refused = await call('GET', '/v1/workspaces', { token: apiToken.token })
    expect(refused.status).toBe(401)
    expectBuilderApiShape(refused)
    const again = await call('DELETE', `/v1/users/me/api-tokens/${apiToken.id}`, { token: owner.token })
    expect(again.status).toBe(404)
    expectBuilderApiShape(again)
  })

  it("cannot see or delete another user's token", async () => {
    const other = await createTestUser(server, 'other@example.com')
    const [otherToken] = (await call('GET', '/v1/users/me/api-tokens', { token: other.token })).body.apiTokens
    const mine = (await call('GET', '/v1/users/me/api-tokens', { token: owner.token })).body.apiTokens
    expect(mine.map((token: { id: string }) => token.id)).not.toContain(otherToken.id)
    expect((await call('DELETE', `/v1/users/me/api-tokens/${otherToken.id}`, { token: owner.token })).status).toBe(404)
    expect((await call('GET', '/v1/workspaces', { token: other.token })).status).toBe(200)
  })

  it('refuses a token without a name', async () => {
    const response = await call('POST', '/v1/users/me/api-tokens', { token: owner.token, body: { name: '  ' } })
    expect(response.status).toBe(400)
    expectBuilderApiShape(response)
    expect(response.body.issues).toContainEqual(expect.objectContaining({ path: ['name'] }))
  })
})
