/**
 * Operators controlling a running conversation: hand it to a human (pause), give it back
 * (resume), end it (close), set its variables. Each command runs under the session's lock and
 * writes through the row-version-checked `commitTurn`, like a reply, so racing replies and
 * commands never overwrite each other.
 */
import { assertTypebotAccess } from '../access.js'
import { continueSession } from '../engine/index.js'
import { reaskWaitingInput } from '../engine/reask-input.js'
import { setSessionVariables, type VariableAssignment } from '../engine/set-session-variables.js'
import { viewTypebot } from '../engine/typebot-view.js'
import type { CompactSessionState, SessionState, TextBubbleContentFormat, TurnRecords, TypebotSnapshot } from '../engine/types.js'
import { AppError } from '../errors.js'
import type { ContinueChatResponse } from '../schemas/chat-api.js'
import type { ControlRecords, SessionRecord, SessionWrite, TurnRecordsWithControl, UserRecord } from '../storage/store.js'
import { type ChatContext, engineLimitsOf, requireLive } from './chat-context.js'
import { toSessionWrite } from './continue-chat.js'
import { driveEffects } from './drive-effects.js'
import { toContinueChatResponse } from './format-response.js'
import { openStoredState, toCompactState, toStoredState } from './stored-state.js'
import { sessionEvent, turnEvents } from './turn-events.js'

const maxAttempts = 5

export type ResumeOptions = { startFrom?: { groupId: string }; textBubbleContentFormat?: TextBubbleContentFormat }

/** `POST /v1/sessions/{id}/pause`: the bot stays silent; pausing a paused session changes nothing. */
export function pauseSession(context: ChatContext, user: UserRecord, sessionId: string, reason: string | undefined) {
  return runOnSession(context, user, sessionId, async (session) => {
    if (session.state.pause) return { result: success }
    const since = new Date(context.env.now()).toISOString()
    const state = { ...(await toCompactState(context, session.state)), pause: reason === undefined ? { since } : { since, reason } }
    const control: ControlRecords = {
      pause: { kind: 'pause', sessionId, typebotId: session.typebotId, reason: reason ?? null, pausedAt: since },
      events: sessionEvent(context, { sessionId, state }, 'session.paused', { reason: reason ?? null }),
    }
    return { result: success, write: updateOf(session, state), records: withControl(noRecords(), control) }
  })
}

/**
 * `POST /v1/sessions/{id}/resume`: the bot speaks again. By default it asks again for the input it
 * was waiting on; with `startFrom` it walks from the start of that group. What it says is the
 * answer (a continueChat body) and goes with the `session.resumed` event, for gateways to relay.
 */
export function resumeSession(context: ChatContext, user: UserRecord, sessionId: string, options: ResumeOptions) {
  return runOnSession(context, user, sessionId, async (session) => {
    if (!session.state.pause) throw new AppError('CONFLICT', 'The session is not paused')
    const opened = await openStoredState(context, session.state)
    const { pause: _resumed, ...state } = opened.state
    const engineOptions = {
      typebots: opened.typebots,
      textBubbleContentFormat: options.textBubbleContentFormat ?? ('richText' as const),
      limits: engineLimitsOf(context),
    }
    const relocation = options.startFrom ? toRelocation(state, opened.typebots, options.startFrom.groupId) : state.relocation
    const unpause: ControlRecords['pause'] = { kind: 'unpause', sessionId }

    if (!relocation) {
      const reply: ContinueChatResponse = await driveEffects(
        reaskWaitingInput(state, engineOptions, context.env),
        context.perform,
        context.turnLimits,
      )
      const stored = await toStoredState(context, state, opened.typebots)
      const events = sessionEvent(context, { sessionId, state: stored }, 'session.resumed', { startFrom: null, reply })
      return {
        result: { message: 'success' as const, reply },
        write: updateOf(session, stored),
        records: withControl(noRecords(), { pause: unpause, events }),
      }
    }

    const turn = await driveEffects(
      continueSession({ ...state, relocation }, undefined, engineOptions, context.env),
      context.perform,
      context.turnLimits,
    )
    const reply = await driveEffects(toContinueChatResponse(turn), context.perform)
    const write = await toSessionWrite(context, sessionId, session.rowVersion, turn, opened.typebots)
    const ref = { sessionId, state: session.state }
    const events = [
      ...sessionEvent(context, ref, 'session.resumed', { startFrom: options.startFrom ?? null, reply }),
      ...turnEvents(context, ref, turn, opened.typebots, { isStart: false }),
    ]
    return { result: { message: 'success' as const, reply }, write, records: withControl(turn.records, { pause: unpause, events }) }
  })
}

/** `POST /v1/sessions/{id}/close`: the conversation ends as if completed; its result stays. */
export function closeSession(context: ChatContext, user: UserRecord, sessionId: string) {
  return runOnSession(context, user, sessionId, async (session) => {
    const events = sessionEvent(context, { sessionId, state: session.state }, 'session.closed')
    const write: SessionWrite = { kind: 'delete', sessionId, expectedRowVersion: session.rowVersion }
    return { result: success, write, records: withControl(noRecords(), { events }) }
  })
}

/** `PATCH /v1/sessions/{id}/variables`: unknown names are refused, nothing is written then. */
export function setVariablesOfSession(context: ChatContext, user: UserRecord, sessionId: string, assignments: VariableAssignment[]) {
  return runOnSession(context, user, sessionId, async (session) => {
    const opened = await openStoredState(context, session.state)
    const outcome = setSessionVariables(opened.state, assignments)
    if (outcome.status === 'unknown') {
      throw new AppError(
        'INVALID_REQUEST',
        'Unknown variables',
        outcome.unknown.map((assignment) => {
          const key = assignment.id ?? assignment.name ?? ''
          return { message: `The session has no variable ${assignment.id ? 'with id' : 'named'} "${key}"`, path: ['variables', key] }
        }),
      )
    }
    const state = await toStoredState(context, outcome.state, opened.typebots)
    return { result: success, write: updateOf(session, state), records: outcome.records }
  })
}

const success = { message: 'success' as const }

type Step<T> = { result: T; write?: SessionWrite; records?: TurnRecordsWithControl }

/** Write access to the session's typebot, checked once; retried on a racing write. */
async function runOnSession<T>(
  context: ChatContext,
  user: UserRecord,
  sessionId: string,
  plan: (session: SessionRecord) => Promise<Step<T>>,
): Promise<T> {
  return context.lock.run(sessionId, async (lease) => {
    let isAllowed = false
    let found = lease.session
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const session = requireLive(context, found, 'Session not found')
      if (!isAllowed) {
        const typebot = await context.store.findTypebotHeader(session.typebotId)
        if (!typebot) throw new AppError('NOT_FOUND', 'Typebot not found')
        await assertTypebotAccess(context.store, user, typebot, 'write')
        isAllowed = true
      }
      const step = await plan(session)
      if (!step.write) return step.result
      if (await lease.commit(step.write, step.records ?? noRecords(), { lastChatSessionId: sessionId })) return step.result
      found = await lease.reload()
    }
    throw new AppError('CONFLICT', 'The session was changed by another request; try again')
  })
}

function toRelocation(state: SessionState, typebots: ReadonlyMap<string, TypebotSnapshot>, groupId: string) {
  const top = state.typebotsQueue[0]
  const snapshot = typebots.get(top.versionId)
  const group = snapshot && viewTypebot(snapshot, top).findGroup(groupId)
  if (!group) {
    throw new AppError('INVALID_REQUEST', 'Unknown group', [
      { message: `The running typebot has no group "${groupId}"`, path: ['startFrom', 'groupId'] },
    ])
  }
  return { groupId: group.id, reason: `An operator resumed the conversation at group "${group.title}".` }
}

function updateOf(session: SessionRecord, state: CompactSessionState): SessionWrite {
  return { kind: 'update', sessionId: session.id, expectedRowVersion: session.rowVersion, state }
}

function noRecords(): TurnRecords {
  return { answers: [], visitedEdges: [], setVariableHistory: [], results: [], logs: [] }
}

function withControl(records: TurnRecords, control: ControlRecords): TurnRecordsWithControl {
  return { ...records, control }
}
