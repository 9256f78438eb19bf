/**
 * continueChat (§4.5): the session's next message, from wherever the session stands.
 */
import { buildTurn, createEngineRun, type EngineLimits, type EngineRun, viewOfTop } from './engine-run.js'
import { answerWithStartMessage, processMessage, relocate } from './process-message.js'
import { mapQueue } from './state.js'
import { findStartEdgeId } from './typebot-view.js'
import type { Effectful, EngineEnv, InputMessage, SessionState, TextBubbleContentFormat, Turn, TypebotSnapshot } from './types.js'
import { walkFlow } from './walk-flow.js'

export type ContinueOptions = {
  /** versionId -> snapshot for every queue entry of the state. */
  typebots: ReadonlyMap<string, TypebotSnapshot>
  textBubbleContentFormat: TextBubbleContentFormat
  limits?: EngineLimits
}

export function* continueSession(
  state: SessionState,
  message: InputMessage | undefined,
  options: ContinueOptions,
  env: EngineEnv,
): Effectful<Turn> {
  const run = createEngineRun(options.typebots, options.textBubbleContentFormat, env, options.limits)
  let next: SessionState
  if (state.relocation) next = yield* relocate(run, state, state.relocation, message)
  else if (!state.currentBlockId) next = yield* restart(run, state, message)
  else next = yield* processMessage(run, state, message)
  return buildTurn(run, next, { isResultRecorded: true })
}

/**
 * §4.5 step 0: a session that waits on nothing (completed during start, or only registered)
 * starts over. Answers and preview history are cleared; variables stay. Unlike Typebot we keep
 * progress tracking and the visited-edge/history counters (resetting them made new rows collide
 * with old ones, which were then silently dropped).
 */
function* restart(run: EngineRun, state: SessionState, message: InputMessage | undefined): Effectful<SessionState> {
  const { previewMetadata: _cleared, ...rest } = state
  const fresh: SessionState = {
    ...rest,
    typebotsQueue: mapQueue(state.typebotsQueue, (entry) => ({ ...entry, answers: [] })),
    ...(state.progressMetadata ? { progressMetadata: { totalAnswers: 0 } } : {}),
  }
  const walked = yield* walkFlow(run, fresh, { type: 'edge', edgeId: findStartEdgeId(viewOfTop(run, fresh).snapshot) })
  return yield* answerWithStartMessage(run, walked, message)
}
