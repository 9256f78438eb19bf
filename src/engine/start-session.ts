/**
 * startChat (§2.4, Appendix C): the initial state, prefilled variables, the first walk, a start
 * message when it can answer the first input, and the start properties action.
 */
import { AppError } from '../errors.js'
import { buildTurn, createEngineRun, type EngineLimits, type EngineRun, recordHistory, viewOfTop } from './engine-run.js'
import { createInitialState } from './initial-state.js'
import { answerWithStartMessage } from './process-message.js'
import { startPropsActionOf } from './start-props.js'
import { applyVariableUpdates } from './state.js'
import { findStartEdgeId } from './typebot-view.js'
import type {
  Effectful,
  EngineEnv,
  InputMessage,
  LoadedTypebot,
  SessionState,
  TextBubbleContentFormat,
  Turn,
  TypebotSnapshot,
  Variable,
} from './types.js'
import { normalizeValue } from './variables.js'
import { type WalkStart, walkFlow } from './walk-flow.js'

export type StartParams = {
  /** Version to run: published (live) or a draft snapshot (preview). */
  loaded: LoadedTypebot
  workspaceId: string
  isPreview: boolean
  /** Live only: the result id to fill (created by the shell, or a reused one). */
  resultId?: string
  /** Remember-user reuse (§2.4 steps 2-4). */
  restoredResult?: { variables: Variable[]; answers: { blockId: string; content: string }[] }
  message?: InputMessage
  prefilledVariables?: Record<string, unknown>
  startFrom?: { type: 'group'; groupId: string } | { type: 'event'; eventId: string }
  isProgressBarEnabled?: boolean
  isStreamEnabled?: boolean
  /** Build the initial state, run nothing. */
  isOnlyRegistering?: boolean
  /** Preview only: who starts it (kept in the state as `previewUserId`). */
  previewUserId?: string
  textBubbleContentFormat: TextBubbleContentFormat
  limits?: EngineLimits
}

export function* startSession(params: StartParams, env: EngineEnv): Effectful<Turn> {
  const snapshot = params.loaded.typebot
  const run = createEngineRun(new Map([[params.loaded.versionId, snapshot]]), params.textBubbleContentFormat, env, params.limits)
  const start = startPointOf(snapshot, params.startFrom)
  let state = createInitialState(params)
  if (params.prefilledVariables) state = prefillVariables(run, state, start, params.prefilledVariables)
  if (params.isOnlyRegistering) return buildTurn(run, state, { isResultRecorded: false })

  state = yield* walkFlow(run, state, start)
  state = yield* answerWithStartMessage(run, state, params.message)
  const startProps = startPropsActionOf(snapshot, params.isPreview)
  if (startProps.action) run.clientSideActions.unshift(startProps.action)
  if (startProps.log) run.logs.push(startProps.log)
  return buildTurn(run, state, { isResultRecorded: true })
}

/** §4.1; `startFrom` errors are the client's (preview start requests). */
function startPointOf(snapshot: TypebotSnapshot, startFrom: StartParams['startFrom']): WalkStart {
  if (startFrom?.type === 'group') {
    if (!snapshot.groups.some((group) => group.id === startFrom.groupId)) throw new AppError('INVALID_REQUEST', "Start group doesn't exist")
    return { type: 'group', groupId: startFrom.groupId, blockIndex: 0 }
  }
  if (startFrom?.type === 'event') {
    const event = snapshot.events?.find((candidate) => candidate.id === startFrom.eventId)
    if (!event) throw new AppError('INVALID_REQUEST', "Start event doesn't exist")
    return { type: 'edge', edgeId: event.outgoingEdgeId }
  }
  return { type: 'edge', edgeId: findStartEdgeId(snapshot) }
}

/**
 * §2.4 step 5: values by variable name, recorded in the history against the first block that
 * will run. Like Typebot, nothing is prefilled when the start leads nowhere.
 */
function prefillVariables(run: EngineRun, state: SessionState, start: WalkStart, prefilled: Record<string, unknown>): SessionState {
  const firstBlockId = firstBlockIdOf(run, state, start)
  if (!firstBlockId) return state
  const variables = state.typebotsQueue[0].variables
  const updates = Object.entries(prefilled).flatMap(([name, value]) =>
    variables
      .filter((variable) => variable.name === name)
      .map((variable) => ({ id: variable.id, value: value === undefined || value === null ? null : normalizeValue(value) })),
  )
  const applied = applyVariableUpdates(state, updates, firstBlockId)
  recordHistory(run, applied.state, applied.history)
  return applied.state
}

function firstBlockIdOf(run: EngineRun, state: SessionState, start: WalkStart): string | undefined {
  const view = viewOfTop(run, state)
  if (start.type === 'group') return view.findGroup(start.groupId)?.blocks[start.blockIndex]?.id
  const edge = start.edgeId ? view.findEdge(start.edgeId) : undefined
  const group = edge && view.findGroup(edge.to.groupId)
  if (!edge || !group) return undefined
  return edge.to.blockId && group.blocks.some((block) => block.id === edge.to.blockId) ? edge.to.blockId : group.blocks[0]?.id
}
