/**
 * `POST /api/v2/sessions/{sessionId}/streamMessage` (runtime spec §3.7): the session waits on an
 * AI block that asked the client to stream its answer. The answer goes out as data-stream lines
 * as the provider sends it; when it is over, token counts and tool variables are saved (before
 * the last line, so the client's next continueChat sees them), and a failure is one error line
 * plus an error log on the result: never a 5xx once the stream has started.
 */
import type { AiCall, AiOutcome } from '../engine/ai-call.js'
import { finishSessionStream, prepareSessionStream } from '../engine/index.js'
import type { ChatLog } from '../engine/types.js'
import { AppError } from '../errors.js'
import { assertOriginAllowed, type ChatContext, findLiveSession } from './chat-context.js'
import { errorPart, finishPart, textPart } from './data-stream.js'
import { driveEffects } from './drive-effects.js'
import { openStoredState, toStoredState } from './stored-state.js'

/** How often the final write is re-run when another process changed the session meanwhile. */
const maxAttempts = 3

/** Checks the session and its block before anything is sent; the lines come from the returned iterable. */
export async function streamMessage(
  context: ChatContext,
  sessionId: string,
  origin: string | undefined,
  signal: AbortSignal,
): Promise<AsyncIterable<string>> {
  const session = await findLiveSession(context, sessionId)
  assertOriginAllowed(session.state, origin)
  const opened = await openStoredState(context, session.state)
  const preparing = prepareSessionStream(opened.state, { typebots: opened.typebots }, context.env)
  const prepared = await driveEffects(preparing, context.perform, context.turnLimits)
  if (prepared.status === 'notStreamable' || !prepared.blockId) {
    throw new AppError(
      'INVALID_REQUEST',
      prepared.status === 'notStreamable' ? prepared.message : 'This block does not have a stream function',
    )
  }
  const { blockId } = prepared
  if (prepared.status === 'failed') return failedLines(context, sessionId, blockId, prepared.log)
  return answerLines(context, sessionId, blockId, prepared.call, prepared.variables, signal)
}

async function* answerLines(
  context: ChatContext,
  sessionId: string,
  blockId: string,
  call: AiCall,
  variables: { id: string; name: string; value: unknown }[],
  signal: AbortSignal,
): AsyncGenerator<string> {
  const run = context.ai.stream(call, variables, signal)
  let step = await run.next()
  while (!step.done) {
    yield textPart(step.value.text)
    step = await run.next()
  }
  // The client went away: nothing waits for the outcome.
  if (signal.aborted) return
  const outcome = step.value
  await saveOutcome(context, sessionId, blockId, outcome)
  if (!outcome.ok) yield errorPart({ ...outcome.log, context: 'While streaming AI' })
  yield finishPart(outcome.ok ? 'stop' : 'error')
}

async function* failedLines(context: ChatContext, sessionId: string, blockId: string, log: ChatLog): AsyncGenerator<string> {
  const description = log.description
  await saveOutcome(context, sessionId, blockId, {
    ok: false,
    log: { status: 'error', description, ...(log.details ? { details: log.details } : {}) },
    variablesToSet: [],
  })
  yield errorPart({ status: 'error', description, ...(log.details ? { details: log.details } : {}), context: 'While streaming AI' })
  yield finishPart('error')
}

/** Token counts, tool variables and error logs, written like a turn (the session keeps waiting on the block). */
async function saveOutcome(context: ChatContext, sessionId: string, blockId: string, outcome: AiOutcome): Promise<void> {
  await context.lock.run(sessionId, async () => {
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const session = await context.store.findSession(sessionId)
      if (!session) return
      const opened = await openStoredState(context, session.state)
      const finished = finishSessionStream(opened.state, { typebots: opened.typebots }, blockId, outcome, context.env)
      if (!finished) return
      const state = await toStoredState(context, finished.state, opened.typebots)
      const write = { kind: 'update' as const, sessionId, expectedRowVersion: session.rowVersion, state }
      if (await context.store.commitTurn(write, finished.records)) return
    }
  })
}
