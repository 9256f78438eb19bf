/**
 * Workspace credentials as stored: metadata in clear, the secret data only as the sealed text the
 * caller gives (src/credentials/secret-cipher.ts). This module never sees a secret in clear.
 */
import type { Kysely, Selectable } from 'kysely'
import type { Database } from './database.js'

/** What may be shown: never the data. */
export type CredentialsRecord = { id: string; workspaceId: string; type: string; name: string; createdAt: string; updatedAt: string }

export type SealedCredentialsRecord = CredentialsRecord & { sealedData: string }

export interface CredentialStore {
  createCredentials(credentials: {
    id: string
    workspaceId: string
    type: string
    name: string
    sealedData: string
  }): Promise<CredentialsRecord>
  /** With the sealed data, for the one caller that opens it. */
  findCredentials(id: string): Promise<SealedCredentialsRecord | undefined>
  /** Newest first. */
  listCredentials(workspaceId: string, options?: { type?: string }): Promise<CredentialsRecord[]>
  updateCredentials(id: string, patch: { name?: string; sealedData?: string }): Promise<CredentialsRecord | undefined>
  deleteCredentials(id: string): Promise<boolean>
}

const metadataColumns = ['id', 'workspace_id', 'type', 'name', 'created_at', 'updated_at'] as const

/** The same SQL on SQLite and PostgreSQL. */
export class KyselyCredentialStore implements CredentialStore {
  constructor(private readonly db: Kysely<Database>) {}

  async createCredentials(credentials: { id: string; workspaceId: string; type: string; name: string; sealedData: string }) {
    const timestamp = new Date().toISOString()
    const row = {
      id: credentials.id,
      workspace_id: credentials.workspaceId,
      type: credentials.type,
      name: credentials.name,
      data: credentials.sealedData,
      created_at: timestamp,
      updated_at: timestamp,
    }
    await this.db.insertInto('credentials').values(row).execute()
    return toCredentials(row)
  }

  async findCredentials(id: string) {
    const row = await this.db.selectFrom('credentials').selectAll().where('id', '=', id).executeTakeFirst()
    return row && { ...toCredentials(row), sealedData: row.data }
  }

  async listCredentials(workspaceId: string, options: { type?: string } = {}) {
    let query = this.db.selectFrom('credentials').select(metadataColumns).where('workspace_id', '=', workspaceId)
    if (options.type !== undefined) query = query.where('type', '=', options.type)
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').execute()
    return rows.map(toCredentials)
  }

  async updateCredentials(id: string, patch: { name?: string; sealedData?: string }) {
    const set: Partial<Database['credentials']> = { updated_at: new Date().toISOString() }
    if (patch.name !== undefined) set.name = patch.name
    if (patch.sealedData !== undefined) set.data = patch.sealedData
    const row = await this.db.updateTable('credentials').set(set).where('id', '=', id).returning(metadataColumns).executeTakeFirst()
    return row && toCredentials(row)
  }

  async deleteCredentials(id: string) {
    const result = await this.db.deleteFrom('credentials').where('id', '=', id).executeTakeFirst()
    return Number(result.numDeletedRows) > 0
  }
}

function toCredentials(row: Omit<Selectable<Database['credentials']>, 'data'>): CredentialsRecord {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    type: row.type,
    name: row.name,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}
