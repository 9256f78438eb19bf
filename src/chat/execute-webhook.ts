import { assertTypebotAccess } from '../access.js'
import { AppError } from '../errors.js'
import { isRecord } from '../json-record.js'
import type { UserRecord } from '../storage/store.js'
import type { ChatContext } from './chat-context.js'
import { toCompactState } from './stored-state.js'

const maxAttempts = 5

/**
 * `POST /v1/typebots/{typebotId}/blocks/{blockId}/results/{resultId}/executeWebhook`: an outside
 * system resumes a session that waits on a "webhook" block. Typebot relays the payload to the
 * browser through a socket; botflow keeps it on the session and the client's next continueChat
 * (without a message) applies it.
 */
export async function executeWebhook(
  context: ChatContext,
  user: UserRecord,
  input: { typebotId: string; blockId: string; resultId: string; body: unknown },
) {
  const typebot = await context.store.findTypebotHeader(input.typebotId)
  if (!typebot) throw new AppError('NOT_FOUND', 'Typebot not found')
  // Resuming a live conversation changes it: write access, as for updating a session.
  await assertTypebotAccess(context.store, user, typebot, 'write')
  const result = await context.store.findResult(input.resultId)
  if (!result || result.typebotId !== typebot.id || !result.lastChatSessionId) throw new AppError('NOT_FOUND', 'No chat session found')
  const sessionId = result.lastChatSessionId
  const text = isRecord(input.body) ? JSON.stringify({ data: input.body }) : JSON.stringify(input.body ?? null)
  await context.lock.run(sessionId, async (lease) => {
    let session = lease.session
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (!session) throw new AppError('NOT_FOUND', 'No chat session found')
      if (session.state.currentBlockId !== input.blockId) throw new AppError('NOT_FOUND', 'Webhook block not found')
      // Only a field changes: the compact form is kept as it is, no need to expand.
      const state = { ...(await toCompactState(context, session.state)), pendingWebhookReply: { blockId: input.blockId, text } }
      const isWritten = await lease.commit(
        { kind: 'update', sessionId, expectedRowVersion: session.rowVersion, state },
        { answers: [], visitedEdges: [], setVariableHistory: [], results: [], logs: [] },
      )
      if (isWritten) return
      session = await lease.reload()
    }
    throw new AppError('CONFLICT', 'The session was changed by another request; try again')
  })
  return { message: 'OK' as const }
}
