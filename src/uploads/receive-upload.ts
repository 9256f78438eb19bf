import type { Readable } from 'node:stream'
import { AppError } from '../errors.js'
import type { Store, UploadRecord } from '../storage/store.js'
import { type FileStorage, FileTooLargeError } from './file-storage.js'
import { hashUploadToken } from './upload-token.js'

const refusals = {
  unknown: 'Invalid upload URL',
  expired: 'Upload URL has expired',
  used: 'Upload URL was already used',
} as const

export type UploadDeps = { store: Store; storage: FileStorage; now(): number }

/** Takes the upload a token stands for, once: unknown, expired and used tokens are refused. */
export async function claimUpload(deps: UploadDeps, token: string): Promise<UploadRecord> {
  const claim = await deps.store.uploads.claimUpload(hashUploadToken(token), new Date(deps.now()).toISOString())
  if (claim.status !== 'claimed') throw new AppError('FORBIDDEN', refusals[claim.status])
  return claim.upload
}

/**
 * Writes the bytes of a claimed upload (local storage). Past the upload's size limit nothing is
 * kept and the URL stays used: the client asks for a new one.
 */
export async function storeUpload(deps: UploadDeps, upload: UploadRecord, body: Readable): Promise<void> {
  const receive = deps.storage.receive
  if (!receive) throw new AppError('NOT_FOUND', 'Uploads go straight to the bucket')
  try {
    const { size } = await receive(upload.storageKey, body, upload.maxBytes)
    await deps.store.uploads.finishUpload(upload.id, { status: 'stored', size, storedAt: new Date(deps.now()).toISOString() })
  } catch (error) {
    await deps.store.uploads.finishUpload(upload.id, { status: 'failed' })
    if (error instanceof FileTooLargeError) throw new AppError('PAYLOAD_TOO_LARGE', 'File size limit exceeded')
    // A client that went away mid-upload is not a server failure.
    if (isInterrupted(error)) throw new AppError('INVALID_REQUEST', 'The upload was interrupted')
    throw error
  }
}

function isInterrupted(error: unknown): boolean {
  const code = error instanceof Error && 'code' in error ? error.code : undefined
  return code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || (error instanceof Error && error.message === 'aborted')
}
