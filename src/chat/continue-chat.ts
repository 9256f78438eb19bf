import { continueSession } from '../engine/index.js'
import type { InputMessage, SessionState, Turn, TypebotSnapshot } from '../engine/types.js'
import { AppError } from '../errors.js'
import type { ContinueChatBody, ContinueChatResponse } from '../schemas/chat-api.js'
import type { SessionWrite } from '../storage/store.js'
import { assertOriginAllowed, type ChatContext, engineLimitsOf, requireLive } from './chat-context.js'
import { driveEffects } from './drive-effects.js'
import { toContinueChatResponse } from './format-response.js'
import { keepMessageWhilePaused } from './paused-message.js'
import { openStoredState, toStoredState } from './stored-state.js'
import { turnEvents } from './turn-events.js'

/** How often a reply that lost a race with another process is re-run on the fresh state. */
const maxAttempts = 3

/**
 * `POST /v1/sessions/{sessionId}/continueChat`. Replies to one session run one at a time; a
 * reply that loses a race with another server process re-runs on the state that won.
 */
export async function continueChat(
  context: ChatContext,
  sessionId: string,
  body: ContinueChatBody,
  origin: string | undefined,
): Promise<ContinueChatResponse> {
  return context.lock.run(sessionId, async (lease) => {
    let found = lease.session
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const session = requireLive(context, found)
      assertOriginAllowed(session.state, origin)
      if (session.state.pause) {
        if (await keepMessageWhilePaused(context, lease, session, body.message ?? undefined)) return { messages: [] }
        found = await lease.reload()
        continue
      }
      const opened = await openStoredState(context, session.state)
      const { state, message } = takePendingWebhookReply(opened.state, body.message ?? undefined)
      const options = { typebots: opened.typebots, textBubbleContentFormat: body.textBubbleContentFormat, limits: engineLimitsOf(context) }
      const turn = await driveEffects(continueSession(state, message, options, context.env), context.perform, context.turnLimits)
      // A poll of a webhook wait changes nothing: one read, no write.
      if (turn.isUnchanged) return driveEffects(toContinueChatResponse(turn), context.perform)
      const write = await toSessionWrite(context, sessionId, session.rowVersion, turn, opened.typebots)
      const events = turnEvents(context, { sessionId, state: session.state }, turn, opened.typebots, { isStart: false })
      const records = events.length > 0 ? { ...turn.records, control: { events } } : turn.records
      if (await lease.commit(write, records, { lastChatSessionId: sessionId })) {
        context.metrics.turn('continue')
        if (turn.isCompleted) context.metrics.sessionCompleted()
        return driveEffects(toContinueChatResponse(turn), context.perform)
      }
      found = await lease.reload()
    }
    throw new AppError('CONFLICT', 'The session was changed by another request; try again')
  })
}

/** A payload delivered by executeWebhook is the reply when the client sends none. */
function takePendingWebhookReply(
  state: SessionState,
  message: InputMessage | undefined,
): { state: SessionState; message: InputMessage | undefined } {
  const pending = state.pendingWebhookReply
  if (!pending) return { state, message }
  const { pendingWebhookReply: _, ...rest } = state
  if (message || pending.blockId !== state.currentBlockId) return { state: rest, message }
  return { state: rest, message: { type: 'text', text: pending.text } }
}

/** A finished live conversation's session is deleted (its result stays); §2.5. */
export async function toSessionWrite(
  context: ChatContext,
  sessionId: string,
  expectedRowVersion: number,
  turn: Turn,
  typebots: ReadonlyMap<string, TypebotSnapshot>,
): Promise<SessionWrite> {
  if (turn.isCompleted && !turn.state.isPreview) return { kind: 'delete', sessionId, expectedRowVersion }
  return { kind: 'update', sessionId, expectedRowVersion, state: await toStoredState(context, turn.state, typebots) }
}
