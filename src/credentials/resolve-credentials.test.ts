import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createStore } from '../storage/create-store.js'
import type { Store } from '../storage/store.js'
import { createCredentials, deleteCredentials } from './manage-credentials.js'
import { type CredentialsAccess, resolveCredentials } from './resolve-credentials.js'
import { createSecretCipher } from './secret-cipher.js'

let store: Store
let access: CredentialsAccess
let cipher: ReturnType<typeof createSecretCipher>
const smtp = (host: string) => ({ host, port: 587, from: { email: 'bot@example.com' } })

beforeAll(async () => {
  store = await createStore({ kind: 'sqlite', filename: ':memory:' })
  cipher = createSecretCipher(randomBytes(32))
  access = { store: store.credentials, cipher }
  const owner = await store.createUser({ id: 'u1', email: 'owner@example.com', name: null })
  for (const id of ['w-one', 'w-two', 'w-none', 'w-other']) await store.createWorkspace({ id, name: id }, { userId: owner.id })
})
afterAll(async () => {
  await store.close()
})

async function add(workspaceId: string, type: string, name: string, data: unknown) {
  return createCredentials({ store, cipher }, undefined, { workspaceId, type, name, data })
}

describe('resolveCredentials', () => {
  it('uses the credentials the block names, else the workspace only ones of the type', async () => {
    const only = await add('w-one', 'smtp', 'Mail', smtp('one.example.com'))
    await add('w-one', 'stripe', 'Payments', { live: { publicKey: 'pk_live_1', secretKey: 'sk_live_1' } })
    const foreign = await add('w-other', 'smtp', 'Foreign', smtp('foreign.example.com'))
    for (const credentialsId of [only.id, undefined, 'from-another-database', foreign.id]) {
      const resolved = await resolveCredentials(access, { workspaceId: 'w-one', type: 'smtp', ...(credentialsId ? { credentialsId } : {}) })
      expect(resolved).toMatchObject({ ok: true, id: only.id, name: 'Mail', data: { host: 'one.example.com' } })
    }
  })

  it('picks the named credentials among several, and none when the block names none of them', async () => {
    const first = await add('w-two', 'smtp', 'First', smtp('first.example.com'))
    await add('w-two', 'smtp', 'Second', smtp('second.example.com'))
    expect(await resolveCredentials(access, { workspaceId: 'w-two', type: 'smtp', credentialsId: first.id })).toMatchObject({
      ok: true,
      data: { host: 'first.example.com' },
    })
    expect(await resolveCredentials(access, { workspaceId: 'w-two', type: 'smtp' })).toEqual({
      ok: false,
      problem: {
        description: "Couldn't find credentials",
        details: 'This workspace has 2 smtp credentials and the block names none of them',
      },
    })
    expect(await resolveCredentials(access, { workspaceId: 'w-none', type: 'stripe' })).toEqual({
      ok: false,
      problem: { description: "Couldn't find credentials", details: 'This workspace has no stripe credentials' },
    })
  })

  it('reports credentials sealed with another key by name, without their data', async () => {
    const sealed = await add('w-none', 'smtp', 'Old key', smtp('old.example.com'))
    const otherKey = { store: store.credentials, cipher: createSecretCipher(randomBytes(32)) }
    const resolved = await resolveCredentials(otherKey, { workspaceId: 'w-none', type: 'smtp' })
    expect(resolved).toEqual({
      ok: false,
      problem: {
        description: `Couldn't decrypt credentials "Old key" (${sealed.id})`,
        details: expect.stringContaining('ENCRYPTION_SECRET'),
      },
    })
    expect(JSON.stringify(resolved)).not.toContain('old.example.com')
    await deleteCredentials({ store, cipher }, undefined, { workspaceId: 'w-none', credentialsId: sealed.id })
  })
})
