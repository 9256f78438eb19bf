import type { InputMessage } from '../engine/types.js'
import type { SessionRecord } from '../storage/store.js'
import type { ChatContext } from './chat-context.js'
import type { SessionLease } from './session-lock.js'
import { toCompactState } from './stored-state.js'
import { messageReceivedEvent } from './turn-events.js'

/**
 * continueChat on a paused session: the engine does not run (the bot must not talk over the
 * operator); the message is kept with the result, for its transcript, and announced with a
 * `message.received` event. The session row is rewritten unchanged so that a racing resume
 * re-reads it. Returns false when another request changed the session first.
 */
export async function keepMessageWhilePaused(
  context: ChatContext,
  lease: SessionLease,
  session: SessionRecord,
  message: InputMessage | undefined,
): Promise<boolean> {
  const resultId = session.state.typebotsQueue.at(-1)?.resultId
  if (!message || session.state.isPreview || !resultId) return true
  const state = await toCompactState(context, session.state)
  const userMessage = {
    id: context.newId(),
    resultId,
    sessionId: session.id,
    message: JSON.stringify(message),
    createdAt: new Date(context.env.now()).toISOString(),
  }
  const events = messageReceivedEvent(context, { sessionId: session.id, state }, message)
  return lease.commit(
    { kind: 'update', sessionId: session.id, expectedRowVersion: session.rowVersion, state },
    { answers: [], visitedEdges: [], setVariableHistory: [], results: [], logs: [], control: { userMessages: [userMessage], events } },
  )
}
