import { assertSessionTypebotAccess, assertTypebotAccess } from '../access.js'
import type { CompactSessionState, LoadedTypebot, StoredSessionState } from '../engine/types.js'
import { updateTypebotInSession } from '../engine/update-typebot.js'
import { AppError } from '../errors.js'
import type { SessionRecord, TypebotHeader, UserRecord } from '../storage/store.js'
import { type ChatContext, loadDraftVersion, loadPublishedVersion, requireLive } from './chat-context.js'
import { toCompactState } from './stored-state.js'
import { sessionEvent } from './turn-events.js'

const maxAttempts = 5
const bulkPageSize = 100

/**
 * `POST /v1/sessions/{sessionId}/updateTypebot`: the session's typebot takes its latest version
 * (published for live sessions, the draft for previews), keeping answers, variables and position.
 */
export async function updateSessionTypebot(context: ChatContext, user: UserRecord, sessionId: string): Promise<{ message: 'success' }> {
  // The whole update runs under the session's lock, so the session is read once per attempt.
  return context.lock.run(sessionId, async (lease) => {
    let checked: { typebot: TypebotHeader; target: LoadedTypebot } | undefined
    let found = lease.session
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const session = requireLive(context, found, 'Session not found')
      checked ??= await checkAccessAndTarget(context, user, session)
      const state = await mergeVersion(context, session, checked.typebot, checked.target)
      if (
        await lease.commit(
          { kind: 'update', sessionId, expectedRowVersion: session.rowVersion, state },
          updateRecords(context, sessionId, state, checked.target.versionId),
        )
      ) {
        return { message: 'success' as const }
      }
      found = await lease.reload()
    }
    throw new AppError('CONFLICT', 'The session was changed by another request; try again')
  })
}

async function checkAccessAndTarget(context: ChatContext, user: UserRecord, session: SessionRecord) {
  const typebot = await context.store.findTypebotHeader(session.typebotId)
  if (!typebot) throw new AppError('NOT_FOUND', 'Typebot not found')
  await assertSessionTypebotAccess(context.store, user, typebot, 'write')
  return { typebot, target: await loadTargetVersion(context, typebot, session.state) }
}

/** An update writes no rows of its own, only its `session.updated` event. */
function updateRecords(context: ChatContext, sessionId: string, state: CompactSessionState, versionId: string) {
  const events = sessionEvent(context, { sessionId, state }, 'session.updated', { versionId })
  return { answers: [], visitedEdges: [], setVariableHistory: [], results: [], logs: [], control: { events } }
}

/** Moves every ongoing live session of a typebot to its latest published version, page by page. */
export async function updateAllSessionsOfTypebot(
  context: ChatContext,
  typebotId: string,
  user?: UserRecord,
): Promise<{ updatedSessions: number }> {
  const typebot = await context.store.findTypebotHeader(typebotId)
  if (!typebot) throw new AppError('NOT_FOUND', 'Typebot not found')
  if (user) await assertTypebotAccess(context.store, user, typebot, 'write')
  const target = await loadPublishedVersion(context, typebot)
  if (!target) throw new AppError('CONFLICT', 'The typebot is not published')
  let updatedSessions = 0
  let afterId: string | undefined
  for (;;) {
    const ids = await context.store.listSessionIdsOfTypebot(typebotId, { afterId, limit: bulkPageSize })
    for (const id of ids) {
      if (await applyUpdate(context, id, typebot, target, { onlyLive: true })) updatedSessions++
    }
    if (ids.length < bulkPageSize) break
    afterId = ids[ids.length - 1]
  }
  return { updatedSessions }
}

async function loadTargetVersion(context: ChatContext, typebot: TypebotHeader, state: StoredSessionState): Promise<LoadedTypebot> {
  if (state.isPreview) {
    // Only previews need the draft document itself.
    const withDraft = await context.store.findTypebot(typebot.id)
    if (!withDraft) throw new AppError('NOT_FOUND', 'Typebot not found')
    return loadDraftVersion(context, withDraft)
  }
  const published = await loadPublishedVersion(context, typebot)
  if (!published) throw new AppError('CONFLICT', 'The typebot is not published')
  return published
}

/** Returns whether the session was updated (false when it vanished or is skipped). */
async function applyUpdate(
  context: ChatContext,
  sessionId: string,
  typebot: TypebotHeader,
  target: LoadedTypebot,
  options: { onlyLive?: boolean } = {},
): Promise<boolean> {
  return context.lock.run(sessionId, async (lease) => {
    let session = lease.session
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (!session) return false
      if (options.onlyLive && session.state.isPreview) return false
      const state = await mergeVersion(context, session, typebot, target)
      if (
        await lease.commit(
          { kind: 'update', sessionId, expectedRowVersion: session.rowVersion, state },
          updateRecords(context, sessionId, state, target.versionId),
        )
      ) {
        return true
      }
      session = await lease.reload()
    }
    throw new AppError('CONFLICT', 'The session was changed by another request; try again')
  })
}

/** Works on the stored (compact) form: no expansion, so the cost does not grow with the typebot. */
async function mergeVersion(
  context: ChatContext,
  session: SessionRecord,
  typebot: TypebotHeader,
  target: LoadedTypebot,
): Promise<CompactSessionState> {
  const state = await toCompactState(context, session.state)
  const rootEntry = state.typebotsQueue.at(-1)
  const previous = rootEntry ? await context.versions.load(rootEntry.versionId) : undefined
  return updateTypebotInSession(state, { typebotId: typebot.id, target, previous })
}
