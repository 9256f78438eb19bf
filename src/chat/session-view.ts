import { assertSessionTypebotAccess } from '../access.js'
import type { Block } from '../engine/types.js'
import { AppError } from '../errors.js'
import type { UserRecord } from '../storage/store.js'
import { assertOriginAllowed, type ChatContext, findLiveSession } from './chat-context.js'
import { readStoredState } from './stored-state.js'

/** `GET /v1/sessions/{sessionId}`: what an operator checks before and after an update. */
export async function describeSession(context: ChatContext, user: UserRecord, sessionId: string) {
  const session = await findLiveSession(context, sessionId, 'Session not found')
  const typebot = await context.store.findTypebotHeader(session.typebotId)
  if (!typebot) throw new AppError('NOT_FOUND', 'Typebot not found')
  await assertSessionTypebotAccess(context.store, user, typebot, 'read')
  const state = await readStoredState(context, session.state)
  const top = state.typebotsQueue[0]
  const root = state.typebotsQueue.at(-1)
  const topSnapshot = top ? await context.versions.load(top.versionId) : undefined
  const waitingOn = state.currentBlockId && topSnapshot ? locateBlock(topSnapshot.groups, state.currentBlockId) : undefined
  return {
    id: session.id,
    typebotId: session.typebotId,
    versionId: root?.versionId ?? '',
    isPreview: state.isPreview,
    resultId: root?.resultId,
    currentBlock: state.currentBlockId
      ? { id: state.currentBlockId, type: waitingOn?.block.type, groupId: waitingOn?.groupId, groupTitle: waitingOn?.groupTitle }
      : undefined,
    pendingRelocation: state.relocation?.reason,
    typebotsQueue: state.typebotsQueue.map((entry) => ({
      typebotId: entry.typebotId,
      versionId: entry.versionId,
      resultId: entry.resultId,
    })),
    variables: (top?.variables ?? []).map((variable) => ({ id: variable.id, name: variable.name, value: variable.value ?? null })),
    answers: top?.answers ?? [],
    isEnded: !state.currentBlockId,
    status: state.pause ? ('paused' as const) : ('active' as const),
    ...(state.pause
      ? { pausedAt: state.pause.since, ...(state.pause.reason !== undefined ? { pauseReason: state.pause.reason } : {}) }
      : {}),
    createdAt: session.createdAt,
    updatedAt: session.updatedAt,
  }
}

function locateBlock(groups: { id: string; title: string; blocks: Block[] }[], blockId: string) {
  for (const group of groups) {
    const block = group.blocks.find((candidate) => candidate.id === blockId)
    if (block) return { block, groupId: group.id, groupTitle: group.title }
  }
  return undefined
}

type ClientLog = { status?: string; description: string; details?: unknown; context?: string }

/** `POST /v2/sessions/{sessionId}/clientLogs` (and the legacy v1 path, whose details may be any JSON). */
export async function saveClientLogs(context: ChatContext, sessionId: string, logs: ClientLog[], origin: string | undefined) {
  const session = await findLiveSession(context, sessionId)
  assertOriginAllowed(session.state, origin)
  const resultId = session.state.typebotsQueue[0]?.resultId
  if (!resultId) throw new AppError('NOT_FOUND', 'Result not found.')
  await context.store.addLogs(
    logs.map((log) => ({
      resultId,
      status: log.status ?? 'error',
      description: log.description,
      details:
        log.details === undefined || log.details === null
          ? undefined
          : typeof log.details === 'string'
            ? log.details
            : JSON.stringify(log.details),
      context: log.context,
    })),
  )
  return { message: 'Logs successfully saved.' }
}
