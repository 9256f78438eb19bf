import { createHash } from 'node:crypto'
import { assertTypebotAccess } from '../access.js'
import type { AiRunner } from '../effects/ai/run-ai-call.js'
import type { EngineLimits } from '../engine/engine-run.js'
import type { EngineEnv, LoadedTypebot, SessionState } from '../engine/types.js'
import { AppError } from '../errors.js'
import type { Metrics } from '../metrics/metrics.js'
import type { SessionRecord, Store, TypebotHeader, TypebotRecord, UserRecord } from '../storage/store.js'
import type { FileStorage } from '../uploads/file-storage.js'
import type { PerformEffect } from './drive-effects.js'
import type { SessionLock } from './session-lock.js'
import { toStoredSnapshot, type VersionCache } from './version-cache.js'

/** What every chat operation shares: storage, the version cache, the engine's environment. */
export type ChatContext = {
  store: Store
  versions: VersionCache
  lock: SessionLock
  env: EngineEnv
  perform: PerformEffect
  /** Streams AI calls (`streamMessage`). */
  ai: AiRunner
  newId(): string
  /** Idle time after which a session expires; undefined = never (as Typebot's web sessions). */
  sessionTtlMs?: number
  /** File inputs' uploads: where files go and the server's ceiling of their size. */
  uploads?: { storage: FileStorage; maxFileSizeMb: number }
  /** What one turn may spend; undefined = no time budget, the engine's default output budget. */
  turnLimits?: { timeMs: number; outputChars: number }
  metrics: Metrics
}

/** The current draft as an immutable version, stored once per distinct content. */
export async function loadDraftVersion(context: ChatContext, typebot: TypebotRecord): Promise<LoadedTypebot> {
  const content = { ...typebot.draft, id: typebot.id }
  const contentHash = createHash('sha256').update(JSON.stringify(content)).digest('hex')
  const version = await context.store.findOrCreateDraftVersion(typebot.id, { id: context.newId(), contentHash, content })
  const cached = await context.versions.load(version.id)
  const snapshot = cached ?? toStoredSnapshot(version.content)
  return { versionId: version.id, typebot: snapshot }
}

export async function loadPublishedVersion(
  context: ChatContext,
  typebot: Pick<TypebotHeader, 'publishedVersionId'>,
): Promise<LoadedTypebot | undefined> {
  if (!typebot.publishedVersionId) return undefined
  const snapshot = await context.versions.load(typebot.publishedVersionId)
  return snapshot && { versionId: typebot.publishedVersionId, typebot: snapshot }
}

export async function findLiveSession(
  context: ChatContext,
  sessionId: string,
  notFoundMessage = 'Session not found.',
): Promise<SessionRecord> {
  return requireLive(context, await context.store.findSession(sessionId), notFoundMessage)
}

/** The session a lease (or a read) found, if it exists and has not expired. */
export function requireLive(
  context: ChatContext,
  session: SessionRecord | undefined,
  notFoundMessage = 'Session not found.',
): SessionRecord {
  if (!session) throw new AppError('SESSION_NOT_FOUND', notFoundMessage)
  if (isExpired(session, context.env.now())) throw new AppError('SESSION_EXPIRED', 'Session expired. You need to start a new session.')
  return session
}

export function isExpired(session: Pick<SessionRecord, 'state' | 'updatedAt'>, now: number): boolean {
  const timeout = session.state.expiryTimeout
  return timeout !== undefined && Date.parse(session.updatedAt) + timeout < now
}

/** §3.0.5: a live session with an allow-list only answers the listed origins. */
export function assertOriginAllowed(state: Pick<SessionState, 'allowedOrigins'>, origin: string | undefined) {
  const allowed = state.allowedOrigins
  if (!origin || !allowed || allowed.length === 0 || allowed.includes(origin)) return
  throw new AppError('FORBIDDEN', 'Origin not allowed')
}

/** The part of the turn limits the engine itself enforces. */
export function engineLimitsOf(context: ChatContext): EngineLimits {
  return context.turnLimits ? { maxOutputChars: context.turnLimits.outputChars } : {}
}

/** The typebot, when the user may read (or write) it: NOT_FOUND when missing, FORBIDDEN without the access. */
export async function findTypebotOfUser(
  context: ChatContext,
  user: UserRecord,
  typebotId: string,
  needed: 'read' | 'write',
): Promise<TypebotHeader> {
  const typebot = await context.store.findTypebotHeader(typebotId)
  if (!typebot) throw new AppError('NOT_FOUND', 'Typebot not found')
  await assertTypebotAccess(context.store, user, typebot, needed)
  return typebot
}
