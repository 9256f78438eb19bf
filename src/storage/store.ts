/**
 * The storage seam. The rest of the app imports only this file: records in domain words, no
 * rows, no SQL. One Kysely implementation serves SQLite and PostgreSQL (`kysely-store.ts` composes it).
 */

import type { UploadStore } from './upload-store.js'

export type { UploadRecord } from './upload-store.js'

import type { CredentialStore } from './credential-store.js'
import type { SweepStore } from './sweep-store.js'

export type { CredentialStore, CredentialsRecord, SealedCredentialsRecord } from './credential-store.js'

import type { RateLimitCounterStore } from './rate-limit-counter-store.js'

export type { RateLimitCount, RateLimitCounterStore, RateLimitHits } from './rate-limit-counter-store.js'

import type { CompactSessionState, StoredSessionState } from '../engine/types.js'
import type { AnalyticsStore } from './analytics-store.js'
import type { TurnRecordsWithControl, WebhookEventRecord } from './control-records.js'
import type { ResultExportStore } from './result-export-store.js'

import type { SessionControlStore } from './session-control-store.js'
import type { WebhookStore } from './webhook-store.js'

export type { AnalyticsStore, ResultCounts } from './analytics-store.js'
export type { ControlRecords, PauseRecord, TurnRecordsWithControl, UserMessageRecord, WebhookEventRecord } from './control-records.js'
/** What Store methods throw when the database cannot be reached: see database-unavailable.ts. */
export { isDatabaseUnavailable } from './database-unavailable.js'
export type { ResultExportStore } from './result-export-store.js'
export type { ResultMessageRecord, SessionControlStore, SessionStatus, SessionSummaryRecord } from './session-control-store.js'
export type {
  ClaimedDelivery,
  DeliveryOutcome,
  DeliveryRecord,
  WebhookStore,
  WebhookSubscriptionPatch,
  WebhookSubscriptionRecord,
} from './webhook-store.js'

export type WorkspaceRole = 'ADMIN' | 'MEMBER' | 'GUEST'
export type CollaboratorType = 'READ' | 'WRITE' | 'FULL_ACCESS'
export type TypebotGrants = { role: WorkspaceRole | undefined; collaboration: CollaboratorType | undefined }

export type UserRecord = { id: string; email: string; name: string | null; createdAt: string }
export type WorkspaceRecord = { id: string; name: string; icon: string | null; plan: string; createdAt: string }
export type MemberRecord = { workspaceId: string; userId: string; email: string; name: string | null; role: WorkspaceRole }
export type CollaboratorRecord = {
  typebotId: string
  userId: string
  email: string
  name: string | null
  type: CollaboratorType
  createdAt: string
}
export type ApiTokenRecord = { id: string; userId: string; name: string; createdAt: string; lastUsedAt: string | null }

export type TypebotRecord = {
  id: string
  workspaceId: string
  publicId: string | null
  name: string
  /** The editable draft: the typebot JSON without id/publicId/workspace columns. */
  draft: Record<string, unknown>
  publishedVersionId: string | null
  isArchived: boolean
  isClosed: boolean
  createdAt: string
  updatedAt: string
}

/** A typebot without its draft: what chat requests need, without reading a large document. */
export type TypebotHeader = Omit<TypebotRecord, 'draft'>

export type TypebotVersionRecord = {
  id: string
  typebotId: string
  kind: 'published' | 'draft'
  content: Record<string, unknown>
  createdAt: string
}

export type SessionRecord = {
  id: string
  typebotId: string
  /** Compact, or full when written before compact states existed; chat/stored-state.ts reads it. */
  state: StoredSessionState
  /** Incremented by every write; writes compare it so two requests never both advance a session. */
  rowVersion: number
  createdAt: string
  updatedAt: string
}

export type ResultRecord = {
  id: string
  typebotId: string
  variables: unknown[]
  hasStarted: boolean
  isCompleted: boolean
  isArchived: boolean
  lastChatSessionId: string | null
  createdAt: string
  updatedAt: string
}

export type AnswerRecord = {
  id: string
  resultId: string
  blockId: string
  content: string
  attachedFileUrls: string[] | null
  createdAt: string
}
export type LogRecord = {
  id: string
  resultId: string
  status: string
  description: string
  details: string | null
  context: string | null
  createdAt: string
}

/** What one chat turn writes, atomically. `expectedRowVersion` guards against racing writers. */
export type SessionWrite =
  | { kind: 'create'; session: { id: string; typebotId: string; state: CompactSessionState } }
  | { kind: 'update'; sessionId: string; expectedRowVersion: number; state: CompactSessionState; leaseOwner?: string }
  | { kind: 'delete'; sessionId: string; expectedRowVersion: number; leaseOwner?: string }

export type TypebotPatch = Partial<Pick<TypebotRecord, 'name' | 'publicId' | 'draft' | 'isArchived' | 'isClosed'>>

export interface Store {
  /** Records of uploaded files (storage/upload-store.ts). */
  readonly uploads: UploadStore
  /** Workspace credentials (their own small store: credential-store.ts). */
  readonly credentials: CredentialStore

  // users, tokens
  findUserByEmail(email: string): Promise<UserRecord | undefined>
  createUser(user: { id: string; email: string; name: string | null }): Promise<UserRecord>
  createApiToken(token: { id: string; userId: string; name: string; tokenHash: string }): Promise<ApiTokenRecord>
  /** Looks the token up by its hash, with its user (one query: every authenticated request makes it); the caller compares in constant time. */
  findApiTokenByHash(tokenHash: string): Promise<{ token: ApiTokenRecord & { tokenHash: string }; user: UserRecord } | undefined>
  listApiTokens(userId: string): Promise<ApiTokenRecord[]>
  deleteApiToken(userId: string, tokenId: string): Promise<boolean>
  touchApiToken(tokenId: string): Promise<void>

  // workspaces
  createWorkspace(workspace: { id: string; name: string; icon?: string | null }, admin: { userId: string }): Promise<WorkspaceRecord>
  findWorkspace(id: string): Promise<WorkspaceRecord | undefined>
  listWorkspacesOfUser(userId: string): Promise<(WorkspaceRecord & { role: WorkspaceRole })[]>
  listMembers(workspaceId: string): Promise<MemberRecord[]>
  findMemberRole(workspaceId: string, userId: string): Promise<WorkspaceRole | undefined>
  upsertMember(workspaceId: string, userId: string, role: WorkspaceRole): Promise<void>

  // typebots
  createTypebot(typebot: Omit<TypebotRecord, 'createdAt' | 'updatedAt' | 'publishedVersionId'>): Promise<TypebotRecord>
  findTypebot(id: string): Promise<TypebotRecord | undefined>
  findTypebotByPublicId(publicId: string): Promise<TypebotRecord | undefined>
  findTypebotHeader(id: string): Promise<TypebotHeader | undefined>
  findTypebotHeaderByPublicId(publicId: string): Promise<TypebotHeader | undefined>
  listTypebots(workspaceId: string): Promise<TypebotRecord[]>
  /** Throws AppError CONFLICT when `publicId` belongs to another typebot. */
  updateTypebot(id: string, patch: TypebotPatch): Promise<TypebotRecord | undefined>
  deleteTypebot(id: string): Promise<boolean>
  listCollaborators(typebotId: string): Promise<CollaboratorRecord[]>
  /** The user's role in the typebot's workspace and collaboration on it, in one query (access checks need both). */
  findTypebotGrants(typebot: Pick<TypebotRecord, 'id' | 'workspaceId'>, userId: string): Promise<TypebotGrants>
  upsertCollaborator(typebotId: string, userId: string, type: CollaboratorType): Promise<void>

  // versions: immutable snapshots that sessions point at
  /** Stores a new published version and points the typebot at it, with its webhook events in the same transaction. */
  publishTypebot(
    typebotId: string,
    version: { id: string; content: Record<string, unknown> },
    options?: { events?: WebhookEventRecord[] },
  ): Promise<TypebotVersionRecord>
  unpublishTypebot(typebotId: string): Promise<void>
  /** Returns the stored draft snapshot with this content hash, or stores a new one. */
  findOrCreateDraftVersion(
    typebotId: string,
    version: { id: string; contentHash: string; content: Record<string, unknown> },
  ): Promise<TypebotVersionRecord>
  findVersion(id: string): Promise<TypebotVersionRecord | undefined>

  // sessions and results
  findSession(id: string): Promise<SessionRecord | undefined>
  /**
   * Reads a session and leases it to `owner` for `ttlMs`, in one statement: 'busy' while another owner
   * holds a lease that has not run out, undefined when there is no such session. A write carrying the
   * same `leaseOwner` releases it. See chat/session-lock.ts.
   */
  leaseSession(id: string, owner: string, ttlMs: number): Promise<SessionRecord | 'busy' | undefined>
  renewSessionLease(id: string, owner: string, ttlMs: number): Promise<void>
  releaseSessionLease(id: string, owner: string): Promise<void>
  /**
   * Writes the session and everything the turn produced (with its optional control part: webhook
   * events, messages received while paused, the pause row) in one transaction. Returns false on a
   * version conflict, and then writes nothing. With `leaseOwner`, the write also releases that owner's lease.
   */
  commitTurn(write: SessionWrite, records: TurnRecordsWithControl, options?: { lastChatSessionId?: string }): Promise<boolean>
  /** Session ids of a typebot, for bulk updates, in pages. */
  listSessionIdsOfTypebot(typebotId: string, options: { afterId?: string; limit: number }): Promise<string[]>
  countSessions(): Promise<number>

  findResult(id: string): Promise<ResultRecord | undefined>
  /**
   * Newest first. `cursor`: results created before this timestamp; `from`: the page starting at
   * this result (inclusive), ties on createdAt broken by id so no result is skipped or repeated;
   * `after`: the page after this result (exclusive); `offset`: skip that many (Typebot's cursor);
   * `createdFrom` / `createdTo`: inclusive bounds on createdAt.
   */
  listResults(
    typebotId: string,
    options: {
      limit: number
      cursor?: string
      from?: { createdAt: string; id: string }
      after?: { createdAt: string; id: string }
      offset?: number
      createdFrom?: string
      createdTo?: string
    },
  ): Promise<ResultRecord[]>
  listAnswers(resultId: string): Promise<AnswerRecord[]>
  listLogs(resultId: string): Promise<LogRecord[]>
  addLogs(logs: { resultId: string; status: string; description: string; details?: string; context?: string }[]): Promise<void>
  listVisitedEdges(resultId: string): Promise<string[]>
  listSetVariableHistory(resultId: string): Promise<{ blockId: string; variableId: string; value: unknown; blockIndex: number }[]>
  deleteResults(typebotId: string, resultIds?: string[]): Promise<number>

  /** Expired sessions and old results, for the sweeper. */
  readonly sweep: SweepStore
  /** Whether the database answers and every migration of this build has run (GET /api/readyz). */
  readiness(): Promise<{ isReady: true } | { isReady: false; reason: string }>
  /** PostgreSQL: the connection pool of this process (metrics); undefined on SQLite. */
  poolStats(): { total: number; idle: number; waiting: number } | undefined
  /** Rate-limit counters shared by the processes on this database (their own small seam). */
  readonly rateLimitCounters: RateLimitCounterStore
  /** Operator reads: sessions by status, messages received while paused. */
  readonly control: SessionControlStore
  /** Batch reads for result exports. */
  readonly resultExport: ResultExportStore
  /** Counts of results for the analytics stats. */
  readonly analytics: AnalyticsStore
  /** Webhook subscriptions, deliveries and their attempts, HTTP-request-block subscriptions. */
  readonly webhooks: WebhookStore

  close(): Promise<void>
}
