import { viewTypebot } from '../engine/typebot-view.js'
import { AppError } from '../errors.js'
import type { GenerateUploadUrlBody, GenerateUploadUrlResponse } from '../schemas/uploads-api.js'
import type { SessionRecord } from '../storage/store.js'
import { storageKeyOf } from '../uploads/file-storage.js'
import { fileUrlOf, uploadUrlOf } from '../uploads/file-urls.js'
import { checkDeclaredFile, findUploadRules } from '../uploads/upload-rules.js'
import { createUploadToken } from '../uploads/upload-token.js'
import { assertOriginAllowed, type ChatContext } from './chat-context.js'

/** Typebot's validity of an upload URL. */
const uploadUrlLifetimeMs = 10 * 60_000

/**
 * `POST /v3/generate-upload-url` (Typebot's contract, as `@typebot.io/js` calls it): checks that
 * the session waits on the block and that the block takes this file, records the upload, and
 * answers where to send the bytes and the URL the file will have.
 */
export async function generateUploadUrl(
  context: ChatContext,
  body: GenerateUploadUrlBody,
  request: { origin?: string; baseUrl: string },
): Promise<GenerateUploadUrlResponse> {
  const uploads = context.uploads
  if (!uploads) throw new AppError('INTERNAL', 'File uploads are not configured')
  const session = await findWaitingSession(context, body.sessionId)
  assertOriginAllowed(session.state, request.origin)
  const entry = session.state.typebotsQueue[0]
  const snapshot = await context.versions.load(entry.versionId)
  const located =
    snapshot && session.state.currentBlockId ? viewTypebot(snapshot, entry).findBlock(session.state.currentBlockId) : undefined
  const rules = located && located.block.id === body.blockId ? findUploadRules(located.block, uploads.maxFileSizeMb) : undefined
  if (!rules) throw new AppError('INVALID_REQUEST', 'Current block does not expect file upload')

  const checked = checkDeclaredFile(rules, body)
  if (!checked.ok) throw new AppError('INVALID_REQUEST', checked.message)
  if (rules.isSingleFile && (await hasStoredFileInThisWait(context, session, body.blockId))) {
    throw new AppError('INVALID_REQUEST', 'Only one file can be uploaded for this input')
  }

  const uploadId = context.newId()
  const { token, tokenHash } = createUploadToken()
  const key = storageKeyOf(uploadId)
  const expiresAt = new Date(context.env.now() + uploadUrlLifetimeMs)
  const { file } = checked
  await context.store.uploads.createUpload({
    id: uploadId,
    tokenHash,
    workspaceId: session.state.workspaceId,
    typebotId: entry.typebotId,
    ...(session.state.isPreview || !entry.resultId ? {} : { resultId: entry.resultId }),
    sessionId: session.id,
    blockId: body.blockId,
    waitVersion: session.rowVersion,
    storageKey: key,
    fileName: file.fileName,
    contentType: file.servedType,
    isAttachment: file.isAttachment,
    maxBytes: rules.maxBytes,
    isPrivate: rules.isPrivate,
    expiresAt: expiresAt.toISOString(),
  })
  const target = await uploads.storage.createUploadTarget({
    key,
    contentType: file.servedType,
    maxBytes: rules.maxBytes,
    expiresAt,
    localUploadUrl: uploadUrlOf(request.baseUrl, token),
  })
  return {
    presignedUrl: target.presignedUrl,
    formData: target.formData,
    fileUrl: fileUrlOf(request.baseUrl, uploadId, file.fileName),
    fileType: file.fileType,
    maxFileSize: rules.maxBytes / (1024 * 1024),
  }
}

/** Typebot answers 400 "Can't find session" for a missing or expired session. */
async function findWaitingSession(context: ChatContext, sessionId: string): Promise<SessionRecord> {
  const session = await context.store.findSession(sessionId)
  const timeout = session?.state.expiryTimeout
  const isExpired = session !== undefined && timeout !== undefined && Date.parse(session.updatedAt) + timeout < context.env.now()
  if (!session || isExpired) throw new AppError('INVALID_REQUEST', "Can't find session")
  return session
}

/**
 * A one-file input takes one stored file per wait: a failed upload, or a refused answer (which
 * writes the session, so starts a new wait), frees the place.
 */
async function hasStoredFileInThisWait(context: ChatContext, session: SessionRecord, blockId: string): Promise<boolean> {
  const uploads = context.uploads
  if (!uploads) return false
  const earlier = await context.store.uploads.listUploadsOfWait(session.id, blockId, session.rowVersion)
  for (const upload of earlier) {
    if (upload.status === 'stored') return true
    // Uploads straight to a bucket leave no trace here until the object exists.
    if (upload.status === 'pending' && uploads.storage.kind === 's3' && (await uploads.storage.exists(upload.storageKey))) return true
  }
  return false
}
