/**
 * What one engine call (start or continue) collects while it walks: messages, actions, logs and
 * the rows the shell persists. It lives for a single call; sessions only ever see `Turn`s.
 */
import { AppError } from '../errors.js'
import { isRecord } from '../json-record.js'
import type { BlockContext } from './block-handler.js'
import { measureChars } from './measure-output.js'
import { computeProgress } from './progress.js'
import { resultVariablesOf } from './state.js'
import { type TypebotView, viewTypebot } from './typebot-view.js'
import type {
  ChatInput,
  ChatLog,
  ChatMessage,
  ClientSideAction,
  EngineEnv,
  QueueEntry,
  SessionState,
  SetVariableHistoryItem,
  TextBubbleContentFormat,
  Turn,
  TurnRecords,
  TypebotSnapshot,
} from './types.js'

export type EngineRun = {
  env: EngineEnv
  textBubbleContentFormat: TextBubbleContentFormat
  /** versionId -> snapshot of every typebot the queue points at (grows on Typebot link). */
  typebots: Map<string, TypebotSnapshot>
  messages: ChatMessage[]
  input?: ChatInput
  clientSideActions: ClientSideAction[]
  logs: ChatLog[]
  records: TurnRecords
  lastBubbleBlockId?: string
  hasWalked: boolean
  isRetry: boolean
  lastMessageNewFormat?: string
  /** Blocks executed so far: guards against flows that loop without ever waiting. */
  executedBlockCount: number
  /** The session still waits where it was and nothing was recorded (a poll): nothing to save. */
  isUnchanged?: boolean
  /** Characters of messages, input, client actions and logs produced so far (see chargeOutput). */
  outputChars: number
  maxOutputChars: number
  /** The client already shows the walk's first bubble (a streamed AI answer): skip it. */
  isNextBubbleSkipped: boolean
}

/** Bounds of one engine call; the shell passes its configuration. */
export type EngineLimits = {
  /** Characters of messages, input, client actions and logs one turn may produce. */
  maxOutputChars?: number
}

export const DEFAULT_MAX_OUTPUT_CHARS = 32 * 1024 * 1024

export function createEngineRun(
  typebots: ReadonlyMap<string, TypebotSnapshot>,
  textBubbleContentFormat: TextBubbleContentFormat,
  env: EngineEnv,
  limits: EngineLimits = {},
): EngineRun {
  return {
    env,
    textBubbleContentFormat,
    typebots: new Map(typebots),
    messages: [],
    clientSideActions: [],
    logs: [],
    records: { answers: [], visitedEdges: [], setVariableHistory: [], results: [], logs: [] },
    hasWalked: false,
    isRetry: false,
    executedBlockCount: 0,
    outputChars: 0,
    maxOutputChars: limits.maxOutputChars ?? DEFAULT_MAX_OUTPUT_CHARS,
    isNextBubbleSkipped: false,
  }
}

/**
 * Counts what the turn produced against its output budget. A flow that loops over a large
 * bubble, or logs megabytes at every pass, ends like one that runs too many blocks.
 */
export function chargeOutput(run: EngineRun, produced: unknown): void {
  run.outputChars += measureChars(produced)
  if (run.outputChars > run.maxOutputChars) {
    throw new AppError('TIMEOUT', `The flow produced more than ${Math.round(run.maxOutputChars / (1024 * 1024))} MB of output in one turn`)
  }
}

export function snapshotOf(run: EngineRun, entry: QueueEntry): TypebotSnapshot {
  const snapshot = run.typebots.get(entry.versionId)
  if (!snapshot) throw new AppError('INTERNAL', `Typebot version ${entry.versionId} was not provided to the engine`)
  return snapshot
}

export function viewOfTop(run: EngineRun, state: SessionState): TypebotView {
  const entry = state.typebotsQueue[0]
  return viewTypebot(snapshotOf(run, entry), entry)
}

export function blockContextOf(run: EngineRun, state: SessionState, groupId: string): BlockContext {
  const entry = state.typebotsQueue[0]
  return {
    state,
    typebot: snapshotOf(run, entry),
    variables: entry.variables,
    env: run.env,
    textBubbleContentFormat: run.textBubbleContentFormat,
    groupId,
    pendingRecords: run.records,
  }
}

/** Keeps set-variable history items for the shell (live sessions; preview keeps them in state). */
export function recordHistory(run: EngineRun, state: SessionState, history: SetVariableHistoryItem[] | undefined): void {
  const resultId = state.typebotsQueue[0].resultId
  if (!history?.length || state.isPreview || !resultId) return
  run.records.setVariableHistory.push(...history.map((item) => ({ ...item, resultId })))
}

/** §4.15.1: an edge taken off the default path is remembered for analytics and transcripts. */
export function recordVisitedEdge(run: EngineRun, state: SessionState, edgeId: string): SessionState {
  const index = state.currentVisitedEdgeIndex ?? 0
  const resultId = state.typebotsQueue[0].resultId
  const next = { ...state, currentVisitedEdgeIndex: index + 1 }
  if (state.isPreview || !resultId) {
    return { ...next, previewMetadata: { ...next.previewMetadata, visitedEdges: [...(next.previewMetadata?.visitedEdges ?? []), edgeId] } }
  }
  run.records.visitedEdges.push({ resultId, edgeId, index })
  return next
}

export function addLogs(run: EngineRun, logs: ChatLog[] | undefined): void {
  if (!logs?.length) return
  chargeOutput(run, logs)
  run.logs.push(...logs)
}

export function buildTurn(run: EngineRun, state: SessionState, options: { isResultRecorded: boolean }): Turn {
  const expectsReply = run.clientSideActions.some((action) => action.expectsDedicatedReply === true)
  const isWaitingExternal = run.messages.some(isWaitingMessage)
  const isCompleted = !run.input && !expectsReply && !isWaitingExternal
  const top = state.typebotsQueue[0]
  const records: TurnRecords = { ...run.records, results: [...run.records.results], logs: [] }

  if (options.isResultRecorded && !state.isPreview) {
    const seen = new Set(records.results.map((result) => result.id))
    state.typebotsQueue.forEach((entry, position) => {
      if (!entry.resultId || seen.has(entry.resultId)) return
      seen.add(entry.resultId)
      const isTop = position === 0
      records.results.push({
        id: entry.resultId,
        typebotId: entry.typebotId,
        variables: resultVariablesOf(entry.variables),
        hasStarted: entry.answers.length > 0,
        isCompleted: isTop && !run.input && !expectsReply && entry.answers.length > 0,
      })
    })
    if (top.resultId) records.logs = run.logs.map((log) => ({ ...log, resultId: top.resultId ?? '' }))
  }

  return {
    state,
    messages: run.messages,
    ...(run.input ? { input: run.input } : {}),
    clientSideActions: run.clientSideActions,
    logs: run.logs,
    hasWalked: run.hasWalked,
    isRetry: run.isRetry,
    ...(run.lastMessageNewFormat !== undefined ? { lastMessageNewFormat: run.lastMessageNewFormat } : {}),
    isCompleted,
    ...(run.isUnchanged ? { isUnchanged: true } : {}),
    ...progressOf(run, state, expectsReply),
    records,
  }
}

function progressOf(run: EngineRun, state: SessionState, expectsReply: boolean): { progress?: number } {
  if (!state.progressMetadata) return {}
  if (!run.input) return expectsReply ? {} : { progress: 100 }
  return { progress: computeProgress(state, run.typebots) }
}

function isWaitingMessage(message: ChatMessage): boolean {
  if (message.type === 'custom-embed') return true
  if (message.type !== 'embed') return false
  const waitForEvent = message.content.waitForEvent
  return isRecord(waitForEvent) && waitForEvent.isEnabled === true
}
