import { assertTypebotAccess } from '../access.js'
import { type StartParams, startSession } from '../engine/index.js'
import type { LoadedTypebot, Turn, TypebotSnapshot } from '../engine/types.js'
import { AppError } from '../errors.js'
import { isRecord, recordOf } from '../json-record.js'
import type { StartChatBody, StartChatResponse, StartPreviewChatBody } from '../schemas/chat-api.js'
import type { TypebotHeader, UserRecord } from '../storage/store.js'
import { assertOriginAllowed, type ChatContext, engineLimitsOf, loadDraftVersion, loadPublishedVersion } from './chat-context.js'
import { driveEffects } from './drive-effects.js'
import { computeDynamicTheme, filterLogs, hasBlockingAction, toTypebotPayload } from './format-response.js'
import { toStoredState } from './stored-state.js'
import { turnEvents } from './turn-events.js'

const defaultBotClosedMessage = 'This bot is now closed'

/** `POST /v1/typebots/{publicId}/startChat`: a live session on the latest published version. */
export async function startChat(
  context: ChatContext,
  publicId: string,
  body: StartChatBody,
  origin: string | undefined,
): Promise<StartChatResponse> {
  const typebot = await context.store.findTypebotHeaderByPublicId(publicId)
  const loaded = typebot && !typebot.isArchived ? await loadPublishedVersion(context, typebot) : undefined
  if (!typebot || !loaded) throw new AppError('NOT_FOUND', 'Typebot not found')
  if (typebot.isClosed) throw new AppError('INVALID_REQUEST', botClosedMessage(loaded))
  // Typebot checks the origin after the first walk, when HTTP calls already went out; we refuse first.
  assertOriginAllowed({ allowedOrigins: readAllowedOrigins(loaded) }, origin)

  const restored = await restoreResult(context, typebot, loaded, body.resultId)
  const resultId = restored?.resultId ?? context.newId()
  const params: StartParams = {
    loaded,
    workspaceId: typebot.workspaceId,
    isPreview: false,
    resultId,
    restoredResult: restored?.restoredResult,
    message: body.message,
    prefilledVariables: body.prefilledVariables,
    isStreamEnabled: body.isStreamEnabled,
    isOnlyRegistering: body.isOnlyRegistering,
    textBubbleContentFormat: body.textBubbleContentFormat,
    limits: engineLimitsOf(context),
  }
  const turn = await driveEffects(startSession(params, context.env), context.perform, context.turnLimits)
  const sessionId = context.newId()
  await commitNewSession(context, sessionId, typebot.id, loaded, turn)
  const response = await toStartChatResponse(context, sessionId, loaded, turn, { isOnlyRegistering: body.isOnlyRegistering })
  if (!body.isOnlyRegistering) {
    response.typebot.publishedAt = (await context.versions.loadVersion(loaded.versionId))?.createdAt
    if (turn.input || hasBlockingAction(turn)) response.resultId = resultId
  }
  return response
}

/** `POST /v1/typebots/{typebotId}/preview/startChat`: a session on the current draft, no result. */
export async function startPreviewChat(
  context: ChatContext,
  user: UserRecord,
  typebotId: string,
  body: StartPreviewChatBody,
): Promise<StartChatResponse> {
  const typebot = await context.store.findTypebot(typebotId)
  if (!typebot || typebot.isArchived) throw new AppError('NOT_FOUND', 'Typebot not found')
  await assertTypebotAccess(context.store, user, typebot, 'read')
  const loaded = await loadDraftVersion(context, typebot)
  const params: StartParams = {
    loaded,
    workspaceId: typebot.workspaceId,
    isPreview: true,
    message: body.message,
    prefilledVariables: body.prefilledVariables,
    startFrom: body.startFrom,
    isProgressBarEnabled: body.isProgressBarEnabled,
    isStreamEnabled: body.isStreamEnabled,
    isOnlyRegistering: body.isOnlyRegistering,
    textBubbleContentFormat: body.textBubbleContentFormat,
    limits: engineLimitsOf(context),
    previewUserId: user.id,
  }
  const requestedId = body.isOnlyRegistering ? undefined : body.sessionId
  const existing = requestedId ? await context.store.findSession(requestedId) : undefined
  // Typebot lets any caller overwrite any session by id; we only let a user restart their own
  // preview of the same typebot. Any other id gets one answer, saying nothing about whose it is.
  if (existing && (!existing.state.isPreview || existing.typebotId !== typebot.id || existing.state.previewUserId !== user.id)) {
    throw new AppError('CONFLICT', 'This session id belongs to another session')
  }
  const turn = await driveEffects(startSession(params, context.env), context.perform, context.turnLimits)
  const sessionId = requestedId ?? context.newId()
  if (existing) {
    const state = await toStoredState(context, turn.state, knownVersions(loaded))
    const isWritten = await context.store.commitTurn(
      { kind: 'update', sessionId, expectedRowVersion: existing.rowVersion, state },
      turn.records,
    )
    if (!isWritten) throw new AppError('CONFLICT', 'The session was changed by another request; try again')
  } else {
    await commitNewSession(context, sessionId, typebot.id, loaded, turn)
  }
  return await toStartChatResponse(context, sessionId, loaded, turn, { isOnlyRegistering: body.isOnlyRegistering })
}

async function commitNewSession(context: ChatContext, sessionId: string, typebotId: string, loaded: LoadedTypebot, turn: Turn) {
  const withTtl = context.sessionTtlMs === undefined ? turn.state : { ...turn.state, expiryTimeout: context.sessionTtlMs }
  const state = await toStoredState(context, withTtl, knownVersions(loaded))
  const events = turnEvents(context, { sessionId, state }, turn, knownVersions(loaded), { isStart: true })
  const records = events.length > 0 ? { ...turn.records, control: { events } } : turn.records
  const isWritten = await context.store.commitTurn({ kind: 'create', session: { id: sessionId, typebotId, state } }, records, {
    lastChatSessionId: sessionId,
  })
  if (!isWritten) throw new AppError('CONFLICT', 'A session with this id already exists')
  context.metrics.sessionStarted()
  context.metrics.turn('start')
  if (turn.isCompleted) context.metrics.sessionCompleted()
}

function knownVersions(loaded: LoadedTypebot): Map<string, TypebotSnapshot> {
  return new Map([[loaded.versionId, loaded.typebot]])
}

async function toStartChatResponse(
  context: ChatContext,
  sessionId: string,
  loaded: LoadedTypebot,
  turn: Turn,
  options: { isOnlyRegistering: boolean },
): Promise<StartChatResponse> {
  const variables = turn.state.typebotsQueue[0]?.variables ?? loaded.typebot.variables
  const response: StartChatResponse = {
    sessionId,
    typebot: await driveEffects(toTypebotPayload(loaded.typebot, variables), context.perform),
    messages: turn.messages,
  }
  if (options.isOnlyRegistering) return response
  if (turn.input) response.input = turn.input
  if (turn.clientSideActions.length > 0) response.clientSideActions = turn.clientSideActions
  if (turn.logs.length > 0) response.logs = filterLogs(turn.logs, turn.state.isPreview)
  const dynamicTheme = await driveEffects(computeDynamicTheme(turn.state), context.perform)
  if (dynamicTheme) response.dynamicTheme = dynamicTheme
  if (turn.progress !== undefined) response.progress = turn.progress
  return response
}

/** §2.4 step 2: with "remember user", a known result id resumes that result's variables and answers. */
async function restoreResult(context: ChatContext, typebot: TypebotHeader, loaded: LoadedTypebot, resultId: string | undefined) {
  if (!resultId || !isRememberUserEnabled(loaded)) return undefined
  const result = await context.store.findResult(resultId)
  if (!result || result.typebotId !== typebot.id || result.isArchived) return undefined
  const answers = await context.store.listAnswers(result.id)
  const variables = result.variables.filter(isVariable)
  return {
    resultId: result.id,
    restoredResult: { variables, answers: answers.map((answer) => ({ blockId: answer.blockId, content: answer.content })) },
  }
}

function isVariable(value: unknown): value is { id: string; name: string; value?: string | (string | null)[] | null } {
  return isRecord(value) && typeof value.id === 'string' && typeof value.name === 'string'
}

function isRememberUserEnabled(loaded: LoadedTypebot): boolean {
  const general = recordOf(loaded.typebot.settings.general)
  const rememberUser = recordOf(general.rememberUser)
  if (typeof rememberUser.isEnabled === 'boolean') return rememberUser.isEnabled
  if (typeof general.isNewResultOnRefreshEnabled === 'boolean') return !general.isNewResultOnRefreshEnabled
  return false
}

function botClosedMessage(loaded: LoadedTypebot): string {
  const systemMessages = recordOf(recordOf(loaded.typebot.settings.general).systemMessages)
  return typeof systemMessages.botClosed === 'string' && systemMessages.botClosed ? systemMessages.botClosed : defaultBotClosedMessage
}

function readAllowedOrigins(loaded: LoadedTypebot): string[] | undefined {
  const origins = recordOf(loaded.typebot.settings.security).allowedOrigins
  return Array.isArray(origins) ? origins.filter((origin): origin is string => typeof origin === 'string') : undefined
}
