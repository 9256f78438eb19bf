/**
 * Records of uploaded files (the bytes live in file storage, see src/uploads/). The same SQL
 * serves SQLite and PostgreSQL.
 */
import type { Kysely, Selectable } from 'kysely'
import type { Database } from './database.js'

export type UploadStatus = 'pending' | 'receiving' | 'stored' | 'failed'

export type UploadRecord = {
  id: string
  workspaceId: string
  typebotId: string
  /** Undefined for preview sessions, which have no result. */
  resultId?: string
  sessionId: string
  blockId: string
  /** The session's row version when the URL was issued: uploads of one wait share it. */
  waitVersion: number
  storageKey: string
  fileName: string
  /** The type the file is stored and served with. */
  contentType: string
  /** Served as a download (types a browser would run). */
  isAttachment: boolean
  maxBytes: number
  size?: number
  isPrivate: boolean
  status: UploadStatus
  expiresAt: string
  createdAt: string
}

export type NewUpload = Omit<UploadRecord, 'status' | 'size' | 'createdAt'> & { tokenHash: string }

/** Why an upload token cannot be used. */
export type UploadClaim = { status: 'claimed'; upload: UploadRecord } | { status: 'unknown' | 'expired' | 'used' }

export interface UploadStore {
  createUpload(upload: NewUpload): Promise<void>
  /** Takes a pending, unexpired upload for receiving, atomically: a token works once. */
  claimUpload(tokenHash: string, now: string): Promise<UploadClaim>
  finishUpload(id: string, outcome: { status: 'stored'; size: number; storedAt: string } | { status: 'failed' }): Promise<void>
  findUpload(id: string): Promise<UploadRecord | undefined>
  /** Uploads of one wait of a session on a block, newest first. */
  listUploadsOfWait(sessionId: string, blockId: string, waitVersion: number): Promise<UploadRecord[]>
  /** Deletes the records of uploads made in results of the typebot (all, or the listed ones); returns their storage keys. */
  deleteUploadsOfResults(typebotId: string, resultIds?: readonly string[]): Promise<string[]>
  /** Deletes the records of every upload of the typebot, preview ones included; returns their storage keys. */
  deleteUploadsOfTypebot(typebotId: string): Promise<string[]>
}

export class KyselyUploadStore implements UploadStore {
  constructor(private readonly db: Kysely<Database>) {}

  async createUpload(upload: NewUpload) {
    await this.db
      .insertInto('uploads')
      .values({
        id: upload.id,
        token_hash: upload.tokenHash,
        workspace_id: upload.workspaceId,
        typebot_id: upload.typebotId,
        result_id: upload.resultId ?? null,
        session_id: upload.sessionId,
        block_id: upload.blockId,
        wait_version: upload.waitVersion,
        storage_key: upload.storageKey,
        file_name: upload.fileName,
        content_type: upload.contentType,
        is_attachment: upload.isAttachment ? 1 : 0,
        max_bytes: upload.maxBytes,
        size: null,
        is_private: upload.isPrivate ? 1 : 0,
        status: 'pending',
        expires_at: upload.expiresAt,
        created_at: new Date().toISOString(),
        stored_at: null,
      })
      .execute()
  }

  async claimUpload(tokenHash: string, now: string): Promise<UploadClaim> {
    const claimed = await this.db
      .updateTable('uploads')
      .set({ status: 'receiving' })
      .where('token_hash', '=', tokenHash)
      .where('status', '=', 'pending')
      .where('expires_at', '>', now)
      .returningAll()
      .executeTakeFirst()
    if (claimed) return { status: 'claimed', upload: toUploadRecord(claimed) }
    const row = await this.db.selectFrom('uploads').select(['status', 'expires_at']).where('token_hash', '=', tokenHash).executeTakeFirst()
    if (!row) return { status: 'unknown' }
    return { status: row.status === 'pending' ? 'expired' : 'used' }
  }

  async finishUpload(id: string, outcome: { status: 'stored'; size: number; storedAt: string } | { status: 'failed' }) {
    const values =
      outcome.status === 'stored' ? { status: 'stored', size: outcome.size, stored_at: outcome.storedAt } : { status: 'failed' }
    await this.db.updateTable('uploads').set(values).where('id', '=', id).execute()
  }

  async findUpload(id: string) {
    const row = await this.db.selectFrom('uploads').selectAll().where('id', '=', id).executeTakeFirst()
    return row && toUploadRecord(row)
  }

  async listUploadsOfWait(sessionId: string, blockId: string, waitVersion: number) {
    const rows = await this.db
      .selectFrom('uploads')
      .selectAll()
      .where('session_id', '=', sessionId)
      .where('block_id', '=', blockId)
      .where('wait_version', '=', waitVersion)
      .orderBy('created_at', 'desc')
      .execute()
    return rows.map(toUploadRecord)
  }

  async deleteUploadsOfResults(typebotId: string, resultIds?: readonly string[]) {
    if (resultIds?.length === 0) return []
    let query = this.db.deleteFrom('uploads').where('typebot_id', '=', typebotId).where('result_id', 'is not', null)
    if (resultIds) query = query.where('result_id', 'in', resultIds)
    const rows = await query.returning('storage_key').execute()
    return rows.map((row) => row.storage_key)
  }

  async deleteUploadsOfTypebot(typebotId: string) {
    const rows = await this.db.deleteFrom('uploads').where('typebot_id', '=', typebotId).returning('storage_key').execute()
    return rows.map((row) => row.storage_key)
  }
}

function toUploadRecord(row: Selectable<Database['uploads']>): UploadRecord {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    typebotId: row.typebot_id,
    ...(row.result_id === null ? {} : { resultId: row.result_id }),
    sessionId: row.session_id,
    blockId: row.block_id,
    waitVersion: Number(row.wait_version),
    storageKey: row.storage_key,
    fileName: row.file_name,
    contentType: row.content_type,
    isAttachment: Number(row.is_attachment) === 1,
    maxBytes: Number(row.max_bytes),
    ...(row.size === null ? {} : { size: Number(row.size) }),
    isPrivate: Number(row.is_private) === 1,
    status: toStatus(row.status),
    expiresAt: row.expires_at,
    createdAt: row.created_at,
  }
}

function toStatus(status: string): UploadStatus {
  return status === 'receiving' || status === 'stored' || status === 'failed' ? status : 'pending'
}
