import type { Store } from '../storage/store.js'
import { type FileStorage, storageKeyOf } from './file-storage.js'
import { createUploadToken } from './upload-token.js'

/** Where a file made by a block belongs: it is deleted with its result, or with its typebot. */
export type GeneratedFileOrigin = { workspaceId: string; typebotId: string; resultId?: string; blockId: string }

export type GeneratedFile = { bytes: Uint8Array; contentType: string; fileName: string }

/**
 * Stores a file botflow makes itself (the audio of OpenAI's Create speech) as a public upload,
 * served by the same file route as uploaded files. Returns its upload id.
 */
export async function storeGeneratedFile(
  deps: { store: Store; storage: FileStorage; now: () => number; newId: () => string },
  origin: GeneratedFileOrigin,
  file: GeneratedFile,
): Promise<string> {
  const uploadId = deps.newId()
  const key = storageKeyOf(uploadId)
  const now = new Date(deps.now()).toISOString()
  await deps.storage.write(key, file.bytes, file.contentType)
  // The record is born stored; its token is never handed out, so nothing can be uploaded over it.
  await deps.store.uploads.createUpload({
    id: uploadId,
    tokenHash: createUploadToken().tokenHash,
    workspaceId: origin.workspaceId,
    typebotId: origin.typebotId,
    ...(origin.resultId ? { resultId: origin.resultId } : {}),
    // A generated file answers no wait of a session.
    sessionId: '',
    blockId: origin.blockId,
    waitVersion: 0,
    storageKey: key,
    fileName: file.fileName,
    contentType: file.contentType,
    isAttachment: false,
    maxBytes: file.bytes.byteLength,
    isPrivate: false,
    expiresAt: now,
  })
  await deps.store.uploads.finishUpload(uploadId, { status: 'stored', size: file.bytes.byteLength, storedAt: now })
  return uploadId
}
