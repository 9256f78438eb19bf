import { continueSession } from '../engine/index.js'
import type { Turn } from '../engine/types.js'
import { AppError } from '../errors.js'
import type { ContinueChatBody, ContinueChatResponse } from '../schemas/chat-api.js'
import type { SessionWrite } from '../storage/store.js'
import { assertOriginAllowed, findLiveSession, type ChatContext } from './chat-context.js'
import { driveEffects } from './drive-effects.js'
import { toContinueChatResponse } from './format-response.js'

/** How often a reply that lost a race with another process is re-run on the fresh state. */
const maxAttempts = 3

/**
 * `POST /v1/sessions/{sessionId}/continueChat`. Replies to one session run one at a time; a
 * reply that loses a race with another server process re-runs on the state that won.
 */
export async function continueChat(context: ChatContext, sessionId: string, body: ContinueChatBody, origin: string | undefined): Promise<ContinueChatResponse> {
  return context.lock.run(sessionId, async () => {
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const session = await findLiveSession(context, sessionId)
      assertOriginAllowed(session.state, origin)
      const typebots = await context.versions.loadAll(session.state.typebotsQueue.map((entry) => entry.versionId))
      const turn = await driveEffects(
        continueSession(session.state, body.message ?? undefined, { typebots, textBubbleContentFormat: body.textBubbleContentFormat }, context.env),
        context.perform,
      )
      const write = toSessionWrite(sessionId, session.rowVersion, turn)
      if (await context.store.commitTurn(write, turn.records, { lastChatSessionId: sessionId })) {
        return toContinueChatResponse(turn, context.env)
      }
    }
    throw new AppError('CONFLICT', 'The session was changed by another request; try again')
  })
}

/** A finished live conversation's session is deleted (its result stays); §2.5. */
function toSessionWrite(sessionId: string, expectedRowVersion: number, turn: Turn): SessionWrite {
  if (turn.isCompleted && !turn.state.isPreview) return { kind: 'delete', sessionId, expectedRowVersion }
  return { kind: 'update', sessionId, expectedRowVersion, state: turn.state }
}
