import { CompiledQuery, type Kysely } from 'kysely'
import type pg from 'pg'
import { AppError } from '../errors.js'
import { newId } from '../ids.js'
import { type AnalyticsStore, KyselyAnalyticsStore } from './analytics-store.js'
import { insertWebhookEvents, type TurnRecordsWithControl, type WebhookEventRecord } from './control-records.js'
import { type CredentialStore, KyselyCredentialStore } from './credential-store.js'
import type { Database } from './database.js'
import { KyselyRateLimitCounterStore, type RateLimitCounterStore } from './rate-limit-counter-store.js'
import { replaceNul } from './replace-nul-plugin.js'
import { KyselyResultExportStore, type ResultExportStore } from './result-export-store.js'
import {
  toApiToken,
  toResult,
  toSession,
  toTypebot,
  toTypebotHeader,
  toUser,
  toVersion,
  toWorkspace,
  typebotHeaderColumns,
} from './row-mappers.js'
import { KyselySessionControlStore, type SessionControlStore } from './session-control-store.js'
import type { SqliteCheckpointer } from './sqlite-checkpointer.js'
import type { SqliteTurnWriter } from './sqlite-turn-writer.js'
import type {
  AnswerRecord,
  CollaboratorRecord,
  CollaboratorType,
  LogRecord,
  MemberRecord,
  SessionWrite,
  Store,
  TypebotPatch,
  TypebotRecord,
  WorkspaceRole,
} from './store.js'
import { createSweepStore, type SweepStore } from './sweep-store.js'
import { createPostgresTurnPath, createSqliteTurnPath, type TurnPath } from './turn-path.js'
import { KyselyUploadStore, type UploadStore } from './upload-store.js'
import { KyselyWebhookStore, type WebhookStore } from './webhook-store.js'
import { isUniqueViolation, truncateDetails } from './write-rules.js'

export type KyselyStoreOptions = {
  /**
   * How turns are written. SQLite: the turns of concurrent requests are committed together (one
   * transaction, a savepoint each) by this writer; a commit costs far more than the writes in it
   * on a file system, and SQLite has one writer anyway; session leases share those commits.
   * PostgreSQL: a turn is one prepared statement, on the pool directly.
   */
  turns: { dialect: 'sqlite'; writer: SqliteTurnWriter; checkpointer?: SqliteCheckpointer } | { dialect: 'postgres'; pool: pg.Pool }
  /** The migrations of this build not yet run (readiness); the store caches an empty answer. */
  checkMigrations?: () => Promise<string[]>
}

/** The one Store implementation over both dialects. */
export class KyselyStore implements Store {
  readonly credentials: CredentialStore
  readonly sweep: SweepStore
  /** Session leases and turn writes: see turn-path.ts. */
  private readonly turns: TurnPath
  /** PostgreSQL only. */
  private readonly pool: pg.Pool | undefined
  private readonly checkMigrations: () => Promise<string[]>
  private areMigrationsCurrent = false
  /** Compiled once: every chat turn reads its session, and building the query cost more than SQLite running it. */
  private readonly sessionByIdSql: string
  /** Parameters of such queries skip the plugins: PostgreSQL's NUL replacement is applied by hand. */
  private readonly toParameter: (value: string) => string
  readonly rateLimitCounters: RateLimitCounterStore
  readonly control: SessionControlStore
  readonly resultExport: ResultExportStore
  readonly analytics: AnalyticsStore
  readonly webhooks: WebhookStore

  readonly uploads: UploadStore

  constructor(
    private readonly db: Kysely<Database>,
    options: KyselyStoreOptions,
  ) {
    this.uploads = new KyselyUploadStore(db)
    const { turns } = options
    this.credentials = new KyselyCredentialStore(db)
    this.sessionByIdSql = db.selectFrom('sessions').selectAll().where('id', '=', '').compile().sql
    this.toParameter = turns.dialect === 'postgres' ? replaceNul : (value) => value
    this.sweep = createSweepStore(db, turns.dialect)
    this.checkMigrations = options.checkMigrations ?? (async () => [])
    this.rateLimitCounters = new KyselyRateLimitCounterStore(db)
    this.control = new KyselySessionControlStore(db)
    this.resultExport = new KyselyResultExportStore(db)
    this.analytics = new KyselyAnalyticsStore(db)
    this.webhooks = new KyselyWebhookStore(db, turns.dialect)
    if (turns.dialect === 'sqlite') {
      this.turns = createSqliteTurnPath(turns.writer, turns.checkpointer)
    } else {
      this.pool = turns.pool
      this.turns = createPostgresTurnPath(turns.pool)
    }
  }

  async findUserByEmail(email: string) {
    const row = await this.db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst()
    return row && toUser(row)
  }

  async createUser(user: { id: string; email: string; name: string | null }) {
    const row = { id: user.id, email: user.email.toLowerCase(), name: user.name, created_at: now() }
    await this.db.insertInto('users').values(row).execute()
    return toUser(row)
  }

  async createApiToken(token: { id: string; userId: string; name: string; tokenHash: string }) {
    const row = {
      id: token.id,
      user_id: token.userId,
      name: token.name,
      token_hash: token.tokenHash,
      created_at: now(),
      last_used_at: null,
    }
    await this.db.insertInto('api_tokens').values(row).execute()
    return toApiToken(row)
  }

  async findApiTokenByHash(tokenHash: string) {
    const row = await this.db
      .selectFrom('api_tokens')
      .innerJoin('users', 'users.id', 'api_tokens.user_id')
      .selectAll('api_tokens')
      .select(['users.email', 'users.name as user_name', 'users.created_at as user_created_at'])
      .where('api_tokens.token_hash', '=', tokenHash)
      .executeTakeFirst()
    if (!row) return undefined
    const user = toUser({ id: row.user_id, email: row.email, name: row.user_name, created_at: row.user_created_at })
    return { token: { ...toApiToken(row), tokenHash: row.token_hash }, user }
  }

  async listApiTokens(userId: string) {
    const rows = await this.db.selectFrom('api_tokens').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').execute()
    return rows.map(toApiToken)
  }

  async deleteApiToken(userId: string, tokenId: string) {
    const result = await this.db.deleteFrom('api_tokens').where('id', '=', tokenId).where('user_id', '=', userId).executeTakeFirst()
    return Number(result.numDeletedRows) > 0
  }

  async touchApiToken(tokenId: string) {
    await this.db.updateTable('api_tokens').set({ last_used_at: now() }).where('id', '=', tokenId).execute()
  }

  async createWorkspace(workspace: { id: string; name: string; icon?: string | null }, admin: { userId: string }) {
    const row = { id: workspace.id, name: workspace.name, icon: workspace.icon ?? null, plan: 'FREE', created_at: now() }
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('workspaces').values(row).execute()
      await trx
        .insertInto('members')
        .values({ workspace_id: row.id, user_id: admin.userId, role: 'ADMIN', created_at: row.created_at })
        .execute()
    })
    return toWorkspace(row)
  }

  async findWorkspace(id: string) {
    const row = await this.db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst()
    return row && toWorkspace(row)
  }

  async listWorkspacesOfUser(userId: string) {
    const rows = await this.db
      .selectFrom('workspaces')
      .innerJoin('members', 'members.workspace_id', 'workspaces.id')
      .selectAll('workspaces')
      .select('members.role')
      .where('members.user_id', '=', userId)
      .orderBy('workspaces.created_at')
      .execute()
    return rows.map((row) => ({ ...toWorkspace(row), role: row.role as WorkspaceRole }))
  }

  async listMembers(workspaceId: string): Promise<MemberRecord[]> {
    const rows = await this.db
      .selectFrom('members')
      .innerJoin('users', 'users.id', 'members.user_id')
      .select(['members.workspace_id', 'members.user_id', 'members.role', 'users.email', 'users.name'])
      .where('members.workspace_id', '=', workspaceId)
      .orderBy('members.created_at')
      .execute()
    return rows.map((row) => ({
      workspaceId: row.workspace_id,
      userId: row.user_id,
      email: row.email,
      name: row.name,
      role: row.role as WorkspaceRole,
    }))
  }

  async findMemberRole(workspaceId: string, userId: string) {
    const row = await this.db
      .selectFrom('members')
      .select('role')
      .where('workspace_id', '=', workspaceId)
      .where('user_id', '=', userId)
      .executeTakeFirst()
    return row?.role as WorkspaceRole | undefined
  }

  async upsertMember(workspaceId: string, userId: string, role: WorkspaceRole) {
    await this.db
      .insertInto('members')
      .values({ workspace_id: workspaceId, user_id: userId, role, created_at: now() })
      .onConflict((oc) => oc.columns(['workspace_id', 'user_id']).doUpdateSet({ role }))
      .execute()
  }

  async createTypebot(typebot: Omit<TypebotRecord, 'createdAt' | 'updatedAt' | 'publishedVersionId'>) {
    const timestamp = now()
    const row = {
      id: typebot.id,
      workspace_id: typebot.workspaceId,
      public_id: typebot.publicId,
      name: typebot.name,
      draft: JSON.stringify(typebot.draft),
      published_version_id: null,
      is_archived: typebot.isArchived ? 1 : 0,
      is_closed: typebot.isClosed ? 1 : 0,
      created_at: timestamp,
      updated_at: timestamp,
    }
    await this.withUniquePublicId(() => this.db.insertInto('typebots').values(row).execute())
    return toTypebot(row)
  }

  async findTypebot(id: string) {
    const row = await this.db.selectFrom('typebots').selectAll().where('id', '=', id).executeTakeFirst()
    return row && toTypebot(row)
  }

  async findTypebotByPublicId(publicId: string) {
    const row = await this.db.selectFrom('typebots').selectAll().where('public_id', '=', publicId).executeTakeFirst()
    return row && toTypebot(row)
  }

  async findTypebotHeader(id: string) {
    const row = await this.db.selectFrom('typebots').select(typebotHeaderColumns).where('id', '=', id).executeTakeFirst()
    return row && toTypebotHeader(row)
  }

  async findTypebotHeaderByPublicId(publicId: string) {
    const row = await this.db.selectFrom('typebots').select(typebotHeaderColumns).where('public_id', '=', publicId).executeTakeFirst()
    return row && toTypebotHeader(row)
  }

  async listTypebots(workspaceId: string) {
    const rows = await this.db
      .selectFrom('typebots')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .orderBy('created_at', 'desc')
      .execute()
    return rows.map(toTypebot)
  }

  async updateTypebot(id: string, patch: TypebotPatch) {
    const set: Partial<Database['typebots']> = { updated_at: now() }
    if (patch.name !== undefined) set.name = patch.name
    if (patch.publicId !== undefined) set.public_id = patch.publicId
    if (patch.draft !== undefined) set.draft = JSON.stringify(patch.draft)
    if (patch.isArchived !== undefined) set.is_archived = patch.isArchived ? 1 : 0
    if (patch.isClosed !== undefined) set.is_closed = patch.isClosed ? 1 : 0
    await this.withUniquePublicId(() => this.db.updateTable('typebots').set(set).where('id', '=', id).execute())
    return this.findTypebot(id)
  }

  async deleteTypebot(id: string) {
    return this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('sessions').where('typebot_id', '=', id).execute()
      const result = await trx.deleteFrom('typebots').where('id', '=', id).executeTakeFirst()
      return Number(result.numDeletedRows) > 0
    })
  }

  async listCollaborators(typebotId: string): Promise<CollaboratorRecord[]> {
    const rows = await this.db
      .selectFrom('collaborators')
      .innerJoin('users', 'users.id', 'collaborators.user_id')
      .select([
        'collaborators.typebot_id',
        'collaborators.user_id',
        'collaborators.type',
        'collaborators.created_at',
        'users.email',
        'users.name',
      ])
      .where('collaborators.typebot_id', '=', typebotId)
      .orderBy('collaborators.created_at')
      .execute()
    return rows.map((row) => ({
      typebotId: row.typebot_id,
      userId: row.user_id,
      email: row.email,
      name: row.name,
      type: row.type as CollaboratorType,
      createdAt: row.created_at,
    }))
  }

  async findCollaboratorType(typebotId: string, userId: string) {
    const row = await this.db
      .selectFrom('collaborators')
      .select('type')
      .where('typebot_id', '=', typebotId)
      .where('user_id', '=', userId)
      .executeTakeFirst()
    return row?.type as CollaboratorType | undefined
  }

  async upsertCollaborator(typebotId: string, userId: string, type: CollaboratorType) {
    await this.db
      .insertInto('collaborators')
      .values({ typebot_id: typebotId, user_id: userId, type, created_at: now() })
      .onConflict((oc) => oc.columns(['typebot_id', 'user_id']).doUpdateSet({ type }))
      .execute()
  }

  async publishTypebot(
    typebotId: string,
    version: { id: string; content: Record<string, unknown> },
    options: { events?: WebhookEventRecord[] } = {},
  ) {
    const row = {
      id: version.id,
      typebot_id: typebotId,
      kind: 'published',
      content: JSON.stringify(version.content),
      content_hash: null,
      created_at: now(),
    }
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('typebot_versions').values(row).execute()
      await trx
        .updateTable('typebots')
        .set({ published_version_id: row.id, updated_at: row.created_at })
        .where('id', '=', typebotId)
        .execute()
      if (options.events?.length) await insertWebhookEvents(trx, options.events)
    })
    return toVersion(row)
  }

  async unpublishTypebot(typebotId: string) {
    await this.db.updateTable('typebots').set({ published_version_id: null, updated_at: now() }).where('id', '=', typebotId).execute()
  }

  async findOrCreateDraftVersion(typebotId: string, version: { id: string; contentHash: string; content: Record<string, unknown> }) {
    const existing = await this.db
      .selectFrom('typebot_versions')
      .selectAll()
      .where('typebot_id', '=', typebotId)
      .where('content_hash', '=', version.contentHash)
      .executeTakeFirst()
    if (existing) return toVersion(existing)
    const row = {
      id: version.id,
      typebot_id: typebotId,
      kind: 'draft',
      content: JSON.stringify(version.content),
      content_hash: version.contentHash,
      created_at: now(),
    }
    await this.db.insertInto('typebot_versions').values(row).execute()
    return toVersion(row)
  }

  async findVersion(id: string) {
    const row = await this.db.selectFrom('typebot_versions').selectAll().where('id', '=', id).executeTakeFirst()
    return row && toVersion(row)
  }

  async findSession(id: string) {
    const { rows } = await this.db.executeQuery<Database['sessions']>(CompiledQuery.raw(this.sessionByIdSql, [this.toParameter(id)]))
    return rows[0] && toSession(rows[0])
  }

  leaseSession(id: string, owner: string, ttlMs: number) {
    return this.turns.leaseSession(id, owner, ttlMs)
  }

  renewSessionLease(id: string, owner: string, ttlMs: number) {
    return this.turns.renewSessionLease(id, owner, ttlMs)
  }

  releaseSessionLease(id: string, owner: string) {
    return this.turns.releaseSessionLease(id, owner)
  }

  commitTurn(write: SessionWrite, records: TurnRecordsWithControl, options: { lastChatSessionId?: string } = {}) {
    return this.turns.commitTurn(write, records, options)
  }

  async listSessionIdsOfTypebot(typebotId: string, options: { afterId?: string; limit: number }) {
    let query = this.db.selectFrom('sessions').select('id').where('typebot_id', '=', typebotId)
    if (options.afterId) query = query.where('id', '>', options.afterId)
    const rows = await query.orderBy('id').limit(options.limit).execute()
    return rows.map((row) => row.id)
  }

  async countSessions() {
    const row = await this.db
      .selectFrom('sessions')
      .select((eb) => eb.fn.countAll<number | string>().as('count'))
      .executeTakeFirstOrThrow()
    return Number(row.count)
  }

  async findResult(id: string) {
    const row = await this.db.selectFrom('results').selectAll().where('id', '=', id).executeTakeFirst()
    return row && toResult(row)
  }

  async listResults(typebotId: string, options: Parameters<Store['listResults']>[1]) {
    let query = this.db.selectFrom('results').selectAll().where('typebot_id', '=', typebotId).where('is_archived', '=', 0)
    if (options.cursor) query = query.where('created_at', '<', options.cursor)
    if (options.createdFrom) query = query.where('created_at', '>=', options.createdFrom)
    if (options.createdTo) query = query.where('created_at', '<=', options.createdTo)
    const bound = options.from ?? options.after
    if (bound) {
      // A row-value comparison walks the (typebot_id, created_at, id) index from the bound on,
      // however many results share a creation time.
      const comparison = options.from ? ('<=' as const) : ('<' as const)
      query = query.where((eb) => eb(eb.refTuple('created_at', 'id'), comparison, eb.tuple(bound.createdAt, bound.id)))
    }
    query = query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(options.limit)
    if (options.offset) query = query.offset(options.offset)
    return (await query.execute()).map(toResult)
  }

  async listAnswers(resultId: string): Promise<AnswerRecord[]> {
    const rows = await this.db.selectFrom('answers').selectAll().where('result_id', '=', resultId).orderBy('seq').execute()
    return rows.map((row) => ({
      id: row.id,
      resultId: row.result_id,
      blockId: row.block_id,
      content: row.content,
      attachedFileUrls: row.attached_file_urls ? (JSON.parse(row.attached_file_urls) as string[]) : null,
      createdAt: row.created_at,
    }))
  }

  async listLogs(resultId: string): Promise<LogRecord[]> {
    const rows = await this.db.selectFrom('logs').selectAll().where('result_id', '=', resultId).orderBy('seq').execute()
    return rows.map((row) => ({
      id: row.id,
      resultId: row.result_id,
      status: row.status,
      description: row.description,
      details: row.details,
      context: row.context,
      createdAt: row.created_at,
    }))
  }

  async addLogs(logs: { resultId: string; status: string; description: string; details?: string; context?: string }[]) {
    if (logs.length === 0) return
    const timestamp = now()
    await this.db
      .insertInto('logs')
      .values(
        logs.map((log) => ({
          id: newId(),
          result_id: log.resultId,
          status: log.status,
          description: log.description,
          details: truncateDetails(log.details),
          context: log.context ?? null,
          created_at: timestamp,
        })),
      )
      .execute()
  }

  async listVisitedEdges(resultId: string) {
    const rows = await this.db.selectFrom('visited_edges').select('edge_id').where('result_id', '=', resultId).orderBy('idx').execute()
    return rows.map((row) => row.edge_id)
  }

  async listSetVariableHistory(resultId: string) {
    const rows = await this.db.selectFrom('set_variable_history').selectAll().where('result_id', '=', resultId).orderBy('idx').execute()
    return rows.map((row) => ({
      blockId: row.block_id,
      variableId: row.variable_id,
      value: JSON.parse(row.value) as unknown,
      blockIndex: row.block_index,
    }))
  }

  async deleteResults(typebotId: string, resultIds?: string[]) {
    return this.db.transaction().execute(async (trx) => {
      let query = trx.selectFrom('results').select('id').where('typebot_id', '=', typebotId)
      if (resultIds) query = query.where('id', 'in', resultIds.length > 0 ? resultIds : [''])
      const ids = (await query.execute()).map((row) => row.id)
      if (ids.length === 0) return 0
      for (const table of ['answers', 'logs', 'visited_edges', 'set_variable_history'] as const) {
        await trx.deleteFrom(table).where('result_id', 'in', ids).execute()
      }
      await trx.deleteFrom('results').where('id', 'in', ids).execute()
      return ids.length
    })
  }

  async readiness() {
    try {
      await this.db.executeQuery(CompiledQuery.raw('select 1'))
      // Once current, they stay current: a newer build's migrations do not make this one unready.
      if (!this.areMigrationsCurrent) {
        const pending = await this.checkMigrations()
        if (pending.length > 0) return { isReady: false as const, reason: `migrations not applied: ${pending.join(', ')}` }
        this.areMigrationsCurrent = true
      }
      return { isReady: true as const }
    } catch {
      return { isReady: false as const, reason: 'the database does not answer' }
    }
  }

  poolStats() {
    const { pool } = this
    return pool && { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }
  }

  async close() {
    await this.turns.close()
    await this.db.destroy()
  }

  private async withUniquePublicId<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write()
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError('CONFLICT', 'Public ID is already taken by another typebot')
      throw error
    }
  }
}

function now() {
  return new Date().toISOString()
}
