/**
 * Workspace credentials through the management API: shapes, validation per type, roles, and the
 * secret data, which no response or log line ever holds and which is encrypted at rest.
 */
import { readFileSync } from 'node:fs'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { createTestUser, type TestUser } from '../helpers/users.js'

const secretKey = 'sk-live-4f9d8c7b6a5e4d3c2b1a0f9e8d7c6b5a'
const logLines: string[] = []
let server: TestServer
let owner: TestUser
let member: TestUser
let guest: TestUser
let outsider: TestUser
const responses: unknown[] = []

beforeAll(async () => {
  server = await startTestServer({}, { logger: { level: 'trace', stream: { write: (line: string) => void logLines.push(line) } } })
  owner = await createTestUser(server)
  member = await createTestUser(server)
  guest = await createTestUser(server)
  outsider = await createTestUser(server)
  await server.store.upsertMember(owner.workspaceId, member.userId, 'MEMBER')
  await server.store.upsertMember(owner.workspaceId, guest.userId, 'GUEST')
})
afterAll(async () => {
  await server.close()
  // Whatever the API answered and logged during the whole file, the key never appears in it.
  expect(JSON.stringify(responses)).not.toContain(secretKey)
  expect(logLines.join('\n')).not.toContain(secretKey)
})

async function call(user: TestUser, method: string, path: string, body?: unknown) {
  const response = await user.call(method, path, body === undefined ? {} : { body })
  responses.push(response.body)
  return response
}

const collection = () => `/v1/workspaces/${owner.workspaceId}/credentials`

describe('credentials API', () => {
  it('creates credentials and answers their metadata only', async () => {
    const created = await call(owner, 'POST', collection(), {
      type: 'openai',
      name: 'Team key',
      data: { apiKey: secretKey, baseUrl: 'https://llm.example.com/v1' },
    })
    expect(created.status).toBe(200)
    expect(created.body).toEqual({
      credentials: { id: expect.any(String), type: 'openai', name: 'Team key', createdAt: expect.any(String) },
    })
    const listed = await call(owner, 'GET', collection())
    expect(listed.status).toBe(200)
    expect(listed.body.credentials).toContainEqual(created.body.credentials)
  })

  it('validates data against its type, naming the fields and not the values', async () => {
    const missingKey = await call(owner, 'POST', collection(), { type: 'anthropic', name: 'No key', data: {} })
    expect(missingKey.status).toBe(400)
    expect(missingKey.body).toMatchObject({ code: 'BAD_REQUEST', issues: [{ path: ['data', 'apiKey'] }] })

    const typo = await call(owner, 'POST', collection(), { type: 'groq', name: 'Typo', data: { api_key: secretKey } })
    expect(typo.status).toBe(400)
    expect(typo.body.issues.map((issue: { path: unknown[] }) => issue.path)).toContainEqual(['data', 'apiKey'])

    const badUrl = await call(owner, 'POST', collection(), { type: 'openai', name: 'URL', data: { apiKey: secretKey, baseUrl: 'ftp://x' } })
    expect(badUrl.status).toBe(400)
    expect(badUrl.body.issues).toEqual([{ message: 'must be an http:// or https:// URL', path: ['data', 'baseUrl'] }])

    const unknownType = await call(owner, 'POST', collection(), { type: 'gemini', name: 'Unknown', data: { apiKey: secretKey } })
    expect(unknownType.status).toBe(400)
    expect(unknownType.body.issues[0].path).toEqual(['type'])

    const noName = await call(owner, 'POST', collection(), { type: 'openai', name: ' ', data: { apiKey: secretKey } })
    expect(noName.status).toBe(400)
  })

  it('renames and rotates credentials, and deletes them', async () => {
    const created = await call(member, 'POST', collection(), { type: 'mistral', name: 'Old name', data: { apiKey: secretKey } })
    const path = `${collection()}/${created.body.credentials.id}`
    const renamed = await call(member, 'PATCH', path, { name: 'New name' })
    expect(renamed.status).toBe(200)
    expect(renamed.body.credentials).toEqual({ ...created.body.credentials, name: 'New name' })
    const rotated = await call(member, 'PATCH', path, { data: { apiKey: `${secretKey}-2` } })
    expect(rotated.status).toBe(200)
    const badRotation = await call(member, 'PATCH', path, { data: { apiKey: '' } })
    expect(badRotation.status).toBe(400)
    expect((await call(member, 'PATCH', path, {})).status).toBe(400)

    expect(await call(member, 'DELETE', path)).toMatchObject({ status: 200, body: { message: 'success' } })
    expect((await call(member, 'DELETE', path)).status).toBe(404)
    expect((await call(member, 'PATCH', path, { name: 'Gone' })).status).toBe(404)
  })

  it('lets ADMIN and MEMBER manage credentials, refuses GUEST and outsiders, and hides other workspaces', async () => {
    const created = await call(owner, 'POST', collection(), { type: 'deepseek', name: 'Owned', data: { apiKey: secretKey } })
    const path = `${collection()}/${created.body.credentials.id}`
    // A GUEST sees the workspace but may not do this (403); to an outsider it does not exist (404).
    for (const [user, status] of [
      [guest, 403],
      [outsider, 404],
    ] as const) {
      expect((await call(user, 'GET', collection())).status).toBe(status)
      expect((await call(user, 'POST', collection(), { type: 'openai', name: 'x', data: { apiKey: secretKey } })).status).toBe(status)
      expect((await call(user, 'PATCH', path, { name: 'x' })).status).toBe(status)
      expect((await call(user, 'DELETE', path)).status).toBe(status)
    }
    expect((await call(member, 'GET', collection())).status).toBe(200)
    expect((await call(owner, 'GET', '/v1/workspaces/unknown-workspace/credentials')).status).toBe(404)
    // The outsider's own workspace cannot reach the owner's credentials by id.
    const foreign = `/v1/workspaces/${outsider.workspaceId}/credentials/${created.body.credentials.id}`
    expect((await call(outsider, 'PATCH', foreign, { name: 'Stolen' })).status).toBe(404)
    expect((await call(outsider, 'DELETE', foreign)).status).toBe(404)
    const anonymous = await fetch(`${server.url}/api${collection()}`)
    expect(anonymous.status).toBe(401)
  })

  it('keeps the data encrypted at rest', async () => {
    const marker = 'sk-at-rest-7c0ffee7c0ffee7c0ffee7c0ffee'
    await call(owner, 'POST', collection(), { type: 'together-ai', name: 'At rest', data: { apiKey: marker } })
    const { database } = server.config
    if (database.kind === 'sqlite') {
      const bytes = ['', '-wal', '-shm']
        .map((suffix) => {
          try {
            return readFileSync(`${database.filename}${suffix}`).toString('latin1')
          } catch {
            return ''
          }
        })
        .join('')
      expect(bytes).toContain('At rest')
      expect(bytes).not.toContain(marker)
      expect(bytes).not.toContain(Buffer.from(marker).toString('base64').slice(0, 20))
    } else {
      const client = new pg.Client({ connectionString: database.connectionString })
      await client.connect()
      try {
        const { rows } = await client.query<{ data: string }>("select data from credentials where name = 'At rest'")
        expect(rows).toHaveLength(1)
        expect(rows[0]?.data).toMatch(/^v1\./)
        expect(rows[0]?.data).not.toContain(marker)
      } finally {
        await client.end()
      }
    }
  })
})
