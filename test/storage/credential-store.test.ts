import { beforeAll, describe, expect, it } from 'vitest'
import { newId } from '../../src/ids.js'
import { useTestStore } from '../helpers/test-store.js'

/** The CredentialStore contract, on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set (CI). */
const store = useTestStore()
let workspaceId: string
let otherWorkspaceId: string
beforeAll(async () => {
  const user = await store.createUser({ id: newId(), email: 'credentials@example.com', name: null })
  workspaceId = (await store.createWorkspace({ id: newId(), name: 'Keys' }, { userId: user.id })).id
  otherWorkspaceId = (await store.createWorkspace({ id: newId(), name: 'Other' }, { userId: user.id })).id
})

describe(`CredentialStore contract (${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'SQLite'})`, () => {
  it('keeps the sealed data apart from the metadata it lists', async () => {
    const id = newId()
    const created = await store.credentials.createCredentials({
      id,
      workspaceId,
      type: 'openai',
      name: 'Team key',
      sealedData: 'v1.sealed',
    })
    expect(created).toEqual({
      id,
      workspaceId,
      type: 'openai',
      name: 'Team key',
      createdAt: expect.any(String),
      updatedAt: created.createdAt,
    })
    expect(created).not.toHaveProperty('sealedData')
    expect(await store.credentials.findCredentials(id)).toEqual({ ...created, sealedData: 'v1.sealed' })
    const listed = await store.credentials.listCredentials(workspaceId)
    expect(listed).toContainEqual(created)
    for (const record of listed) expect(record).not.toHaveProperty('sealedData')
  })

  it('lists one workspace, newest first, optionally of one type', async () => {
    const first = await store.credentials.createCredentials({ id: newId(), workspaceId, type: 'anthropic', name: 'A', sealedData: 'x' })
    await new Promise((resolve) => setTimeout(resolve, 5))
    const second = await store.credentials.createCredentials({ id: newId(), workspaceId, type: 'anthropic', name: 'B', sealedData: 'y' })
    await store.credentials.createCredentials({ id: newId(), workspaceId: otherWorkspaceId, type: 'anthropic', name: 'C', sealedData: 'z' })
    const anthropic = await store.credentials.listCredentials(workspaceId, { type: 'anthropic' })
    expect(anthropic.map((record) => record.name)).toEqual([second.name, first.name])
    expect((await store.credentials.listCredentials(otherWorkspaceId)).map((record) => record.name)).toEqual(['C'])
  })

  it('renames and re-seals in place, and deletes', async () => {
    const id = newId()
    await store.credentials.createCredentials({ id, workspaceId, type: 'groq', name: 'Old', sealedData: 'old' })
    const renamed = await store.credentials.updateCredentials(id, { name: 'New' })
    expect(renamed?.name).toBe('New')
    expect((await store.credentials.findCredentials(id))?.sealedData).toBe('old')
    await store.credentials.updateCredentials(id, { sealedData: 'new' })
    expect(await store.credentials.findCredentials(id)).toMatchObject({ name: 'New', sealedData: 'new' })
    expect(await store.credentials.updateCredentials(newId(), { name: 'x' })).toBeUndefined()
    expect(await store.credentials.deleteCredentials(id)).toBe(true)
    expect(await store.credentials.deleteCredentials(id)).toBe(false)
    expect(await store.credentials.findCredentials(id)).toBeUndefined()
  })
})
