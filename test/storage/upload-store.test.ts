import { describe, expect, it } from 'vitest'
import { newId } from '../../src/ids.js'
import type { NewUpload } from '../../src/storage/upload-store.js'
import { useTestStore } from '../helpers/test-store.js'

/** The upload records' contract, on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set (CI). */
const store = useTestStore()

function newUpload(overrides: Partial<NewUpload> = {}): NewUpload {
  const id = newId()
  return {
    id,
    tokenHash: `hash-${id}`,
    workspaceId: 'w1',
    typebotId: 't1',
    resultId: 'r1',
    sessionId: 's1',
    blockId: 'b1',
    waitVersion: 3,
    storageKey: `files/${id}`,
    fileName: 'a.txt',
    contentType: 'text/plain',
    isAttachment: false,
    maxBytes: 1024,
    isPrivate: true,
    expiresAt: '2030-01-01T00:10:00.000Z',
    ...overrides,
  }
}

describe(`Upload records (${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'SQLite'})`, () => {
  it('claims a pending upload once, refuses an expired or unknown token, and records the stored size', async () => {
    const upload = newUpload()
    await store.uploads.createUpload(upload)
    expect(await store.uploads.claimUpload(upload.tokenHash, '2030-01-01T00:10:00.000Z')).toEqual({ status: 'expired' })
    const claimed = await store.uploads.claimUpload(upload.tokenHash, '2030-01-01T00:00:00.000Z')
    expect(claimed).toMatchObject({ status: 'claimed', upload: { id: upload.id, status: 'receiving', isPrivate: true, resultId: 'r1' } })
    expect(await store.uploads.claimUpload(upload.tokenHash, '2030-01-01T00:00:00.000Z')).toEqual({ status: 'used' })
    expect(await store.uploads.claimUpload('nope', '2030-01-01T00:00:00.000Z')).toEqual({ status: 'unknown' })
    await store.uploads.finishUpload(upload.id, { status: 'stored', size: 12, storedAt: '2030-01-01T00:01:00.000Z' })
    expect(await store.uploads.findUpload(upload.id)).toMatchObject({ status: 'stored', size: 12 })
  })

  it('lets only one of two racing requests claim a token', async () => {
    const upload = newUpload()
    await store.uploads.createUpload(upload)
    const claims = await Promise.all([1, 2, 3].map(() => store.uploads.claimUpload(upload.tokenHash, '2030-01-01T00:00:00.000Z')))
    expect(claims.filter((claim) => claim.status === 'claimed')).toHaveLength(1)
  })

  it('lists the uploads of one wait, and deletes by results or by typebot, returning the storage keys', async () => {
    const typebotId = newId()
    const first = newUpload({ typebotId, resultId: 'ra', sessionId: 'sx' })
    const second = newUpload({ typebotId, resultId: 'rb', sessionId: 'sx', waitVersion: 4 })
    const preview = newUpload({ typebotId, resultId: undefined, sessionId: 'sp' })
    for (const upload of [first, second, preview]) await store.uploads.createUpload(upload)
    expect((await store.uploads.listUploadsOfWait('sx', 'b1', 3)).map((upload) => upload.id)).toEqual([first.id])
    expect(await store.uploads.deleteUploadsOfResults(typebotId, [])).toEqual([])
    expect(await store.uploads.deleteUploadsOfResults(typebotId, ['ra'])).toEqual([first.storageKey])
    expect(await store.uploads.deleteUploadsOfResults(typebotId)).toEqual([second.storageKey])
    expect(await store.uploads.findUpload(preview.id)).toBeDefined()
    expect(await store.uploads.deleteUploadsOfTypebot(typebotId)).toEqual([preview.storageKey])
    expect(await store.uploads.findUpload(preview.id)).toBeUndefined()
  })
})
