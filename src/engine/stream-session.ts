/**
 * `streamMessage` (§3.7): the session waits on an AI block that asked the client to stream its
 * answer. `prepareSessionStream` gives the call to run; once the stream is over,
 * `finishSessionStream` writes what it produced besides the answer (token counts, tool
 * variables, an error log). The answer itself comes back in the client's next continueChat.
 */
import type { AiOutcome } from './ai-call.js'
import type { ExecutableHandler, PreparedAiStream } from './block-handler.js'
import { findBlockHandler } from './blocks/registry.js'
import { blockContextOf, createEngineRun, type EngineRun, viewOfTop } from './engine-run.js'
import { resultVariablesOf } from './state.js'
import type { Block, Effectful, EngineEnv, SessionState, TurnRecords, TypebotSnapshot } from './types.js'
import { applyExecutionResult } from './walk-flow.js'

export type StreamOptions = {
  /** versionId -> snapshot for every queue entry of the state. */
  typebots: ReadonlyMap<string, TypebotSnapshot>
}

export type PreparedSessionStream = PreparedAiStream & { blockId?: string }

export function* prepareSessionStream(state: SessionState, options: StreamOptions, env: EngineEnv): Effectful<PreparedSessionStream> {
  const run = createEngineRun(options.typebots, 'richText', env)
  const waiting = findWaitingBlock(run, state)
  if (!waiting) return { status: 'notStreamable', message: 'This block does not have a stream function' }
  const prepared = yield* waiting.prepareStream(waiting.block, blockContextOf(run, state, waiting.groupId))
  return { ...prepared, blockId: waiting.block.id }
}

/**
 * The writes of a finished stream, as a turn's records; undefined when there is nothing to write
 * or the session no longer waits on that block (another request moved it on meanwhile).
 */
export function finishSessionStream(
  state: SessionState,
  options: StreamOptions,
  blockId: string,
  outcome: AiOutcome,
  env: EngineEnv,
): { state: SessionState; records: TurnRecords } | undefined {
  if (state.currentBlockId !== blockId) return undefined
  const run = createEngineRun(options.typebots, 'richText', env)
  const waiting = findWaitingBlock(run, state)
  if (!waiting?.finishStream) return undefined
  const result = waiting.finishStream(waiting.block, outcome, blockContextOf(run, state, waiting.groupId))
  const isUnchanged = (result.state ?? state) === state && !result.logs?.length && !result.setVariableHistory?.length
  if (isUnchanged) return undefined
  const next = applyExecutionResult(run, state, result).state
  return { state: next, records: toRecords(run, next) }
}

type WaitingAiBlock = Pick<Required<ExecutableHandler>, 'prepareStream'> &
  Pick<ExecutableHandler, 'finishStream'> & { block: Block; groupId: string }

function findWaitingBlock(run: EngineRun, state: SessionState): WaitingAiBlock | undefined {
  if (!state.currentBlockId) return undefined
  const location = viewOfTop(run, state).findBlock(state.currentBlockId)
  const handler = location && findBlockHandler(location.block)
  if (!location || !handler || handler.family === 'bubble' || handler.family === 'input' || !handler.prepareStream) return undefined
  return {
    block: location.block,
    groupId: location.groupId,
    prepareStream: handler.prepareStream.bind(handler),
    finishStream: handler.finishStream?.bind(handler),
  }
}

/** History and logs the run collected, and the top result's variables (live sessions). */
function toRecords(run: EngineRun, state: SessionState): TurnRecords {
  const top = state.typebotsQueue[0]
  const resultId = top.resultId
  if (state.isPreview || !resultId) return { ...run.records, logs: [] }
  return {
    ...run.records,
    results: [
      {
        id: resultId,
        typebotId: top.typebotId,
        variables: resultVariablesOf(top.variables),
        hasStarted: top.answers.length > 0,
        isCompleted: false,
      },
    ],
    logs: run.logs.map((log) => ({ ...log, resultId })),
  }
}
