/**
 * The walk (§4.2): follows edges group after group until a block needs the user, a blocking
 * client action is produced, or the flow (and every linked parent) runs out.
 */
import { AppError } from '../errors.js'
import type { ExecutionResult, InputHandler } from './block-handler.js'
import { findBlockHandler, isUnsupportedBlock, unsupportedBlockLog } from './blocks/registry.js'
import { addLogs, blockContextOf, chargeOutput, type EngineRun, recordHistory, recordVisitedEdge, viewOfTop } from './engine-run.js'
import { checkpoint } from './run-code.js'
import { hasValue, resultVariablesOf } from './state.js'
import type { Block, Effectful, QueueEntry, SessionState } from './types.js'

/** Where a walk begins: an edge to follow, or a position inside a group of the top typebot. */
export type WalkStart =
  | { type: 'edge'; edgeId: string | undefined; isOffDefaultPath?: boolean }
  | { type: 'group'; groupId: string; blockIndex: number }

type PendingEdge = { edgeId: string | undefined; isOffDefaultPath: boolean }
type GroupOutcome = { state: SessionState; isStopped: boolean; nextEdge?: PendingEdge }

/** A flow that runs this many blocks in one call without waiting loops forever. */
const MAX_BLOCKS_PER_CALL = 5_000

export function* walkFlow(run: EngineRun, initial: SessionState, start: WalkStart): Effectful<SessionState> {
  run.hasWalked = true
  let state = initial
  let target = start.type === 'group' ? { groupId: start.groupId, blockIndex: start.blockIndex } : undefined
  let pending: PendingEdge =
    start.type === 'edge'
      ? { edgeId: start.edgeId, isOffDefaultPath: start.isOffDefaultPath ?? false }
      : { edgeId: undefined, isOffDefaultPath: false }

  for (;;) {
    if (!target) {
      const navigation = navigate(run, state, pending)
      state = navigation.state
      if (!navigation.target) return state
      target = navigation.target
    }
    const outcome: GroupOutcome = yield* executeGroup(run, state, target.groupId, target.blockIndex)
    state = outcome.state
    target = undefined
    if (outcome.isStopped) return state
    if (outcome.nextEdge) {
      pending = outcome.nextEdge
      continue
    }
    const top = state.typebotsQueue[0]
    if (!(top.queuedEdgeIds?.length || state.typebotsQueue.length > 1)) return state
    pending = { edgeId: undefined, isOffDefaultPath: false }
  }
}

/**
 * NAVIGATE of §4.2.1: resolves an edge in the top typebot; when there is none, takes the next
 * queued edge and leaves finished linked typebots until something resolves or nothing is left.
 */
function navigate(
  run: EngineRun,
  initial: SessionState,
  initialEdge: PendingEdge,
): { state: SessionState; target?: { groupId: string; blockIndex: number } } {
  let state = initial
  let { edgeId, isOffDefaultPath } = initialEdge
  for (;;) {
    if (edgeId !== undefined) {
      const view = viewOfTop(run, state)
      const edge = view.findEdge(edgeId)
      if (edge) {
        if (isOffDefaultPath) state = recordVisitedEdge(run, state, edge.id)
        const group = view.findGroup(edge.to.groupId)
        if (!group) return { state }
        const blockIndex = edge.to.blockId ? group.blocks.findIndex((block) => block.id === edge.to.blockId) : 0
        // Typebot quirk kept: a target block missing from its group runs the group's last block.
        return { state, target: { groupId: group.id, blockIndex: blockIndex === -1 ? Math.max(group.blocks.length - 1, 0) : blockIndex } }
      }
    }
    const top = state.typebotsQueue[0]
    const [taken, ...rest] = top.queuedEdgeIds ?? []
    if (taken !== undefined) state = { ...state, typebotsQueue: [{ ...top, queuedEdgeIds: rest }, ...state.typebotsQueue.slice(1)] }
    if (state.typebotsQueue.length > 1) state = leaveLinkedTypebot(run, state)
    if (taken === undefined && !state.typebotsQueue[0].queuedEdgeIds?.length) return { state }
    edgeId = taken
    isOffDefaultPath = false
  }
}

function* executeGroup(run: EngineRun, initial: SessionState, groupId: string, startIndex: number): Effectful<GroupOutcome> {
  let state = initial
  let nextEdgeId: string | undefined
  const blocks = viewOfTop(run, initial).findGroup(groupId)?.blocks ?? []
  for (const block of blocks.slice(startIndex)) {
    countExecutedBlock(run)
    yield* checkpoint()
    nextEdgeId = block.outgoingEdgeId
    const isStreamedBubble = run.isNextBubbleSkipped
    run.isNextBubbleSkipped = false
    const handler = findBlockHandler(block)
    if (!handler) {
      if (isUnsupportedBlock(block)) run.logs.push(unsupportedBlockLog(block))
      continue
    }
    const ctx = blockContextOf(run, state, groupId)

    if (handler.family === 'bubble') {
      if (isStreamedBubble) continue
      const bubble = yield* handler.toMessage(block, ctx)
      if (!bubble) continue
      chargeOutput(run, bubble.message)
      run.messages.push(bubble.message)
      if (bubble.isWaitingForReply) return { state: { ...state, currentBlockId: block.id }, isStopped: true }
      run.lastBubbleBlockId = block.id
      continue
    }
    if (handler.family === 'input') {
      const prepared = yield* prepareInput(run, state, block, groupId, handler)
      return { state: { ...prepared, currentBlockId: block.id }, isStopped: true }
    }

    const result = yield* handler.execute(block, ctx)
    const applied = applyExecutionResult(run, state, result)
    state = applied.state
    if (applied.isBlocking) return { state: { ...state, currentBlockId: block.id }, isStopped: true }
    if (result.outgoingEdgeId === null) return { state, isStopped: false }
    if (result.outgoingEdgeId) {
      const isOffDefaultPath = result.isOffDefaultPath === true || result.outgoingEdgeId !== block.outgoingEdgeId
      return { state, isStopped: false, nextEdge: { edgeId: result.outgoingEdgeId, isOffDefaultPath } }
    }
  }
  return { state, isStopped: false, ...(nextEdgeId ? { nextEdge: { edgeId: nextEdgeId, isOffDefaultPath: false } } : {}) }
}

/**
 * Applies what a logic/integration block returned (§4.2.2 steps 1-4) and says whether the walk
 * must stop on this block (an action expecting a dedicated reply, or a custom embed).
 */
export function applyExecutionResult(
  run: EngineRun,
  state: SessionState,
  result: ExecutionResult,
): { state: SessionState; isBlocking: boolean } {
  for (const loaded of result.loadedTypebots ?? []) run.typebots.set(loaded.versionId, loaded.typebot)
  if (result.isNextBubbleStreamed) run.isNextBubbleSkipped = true
  const next = result.state ?? state
  recordHistory(run, next, result.setVariableHistory)
  addLogs(run, result.logs)
  const actions = result.clientSideActions ?? []
  if (actions.length > 0) chargeOutput(run, actions)
  for (const action of actions) {
    run.clientSideActions.push(run.lastBubbleBlockId ? { ...action, lastBubbleBlockId: run.lastBubbleBlockId } : action)
  }
  if (result.customEmbedBubble) {
    chargeOutput(run, result.customEmbedBubble)
    run.messages.push({ id: run.env.newId(), type: 'custom-embed', content: result.customEmbedBubble })
  }
  const isBlocking = actions.some((action) => action.expectsDedicatedReply === true) || result.customEmbedBubble !== undefined
  return { state: next, isBlocking }
}

/** §4.10.3: removes the finished top typebot, merging it into its parent when asked to. */
function leaveLinkedTypebot(run: EngineRun, state: SessionState): SessionState {
  const [child, parent, ...rest] = state.typebotsQueue
  if (!parent) return state
  if (!child.isMergingWithParent && child.resultId && !state.isPreview) {
    run.records.results.push({
      id: child.resultId,
      typebotId: child.typebotId,
      variables: resultVariablesOf(child.variables),
      hasStarted: child.answers.length > 0,
      isCompleted: true,
    })
  }
  const newTop = child.isMergingWithParent ? mergeIntoParent(parent, child) : parent
  const progressMetadata = state.progressMetadata
    ? // Typebot quirk kept: the parent's answers are counted again when a child is left.
      { totalAnswers: state.progressMetadata.totalAnswers + newTop.answers.length }
    : undefined
  return { ...state, typebotsQueue: [newTop, ...rest], ...(progressMetadata ? { progressMetadata } : {}) }
}

function mergeIntoParent(parent: QueueEntry, child: QueueEntry): QueueEntry {
  const variables = parent.variables.map((variable) => {
    const fromChild = child.variables.find((candidate) => candidate.name === variable.name)
    return fromChild && hasValue(fromChild.value) ? { ...variable, value: fromChild.value } : variable
  })
  const added = child.variables.filter(
    (variable) => hasValue(variable.value) && !parent.variables.some((candidate) => candidate.name === variable.name),
  )
  const childKeys = new Set(child.answers.map((answer) => answer.key))
  return {
    ...parent,
    variables: [...variables, ...added],
    answers: [...parent.answers.filter((answer) => !childKeys.has(answer.key)), ...child.answers],
  }
}

function countExecutedBlock(run: EngineRun): void {
  run.executedBlockCount += 1
  if (run.executedBlockCount > MAX_BLOCKS_PER_CALL) {
    throw new AppError('TIMEOUT', 'The flow ran too many blocks without waiting for the user (it probably loops)')
  }
}

/**
 * Sends an input to the client (§6.2.0): its preparation first when it has one (a payment
 * intent), then the input itself, with the runtime options the preparation produced.
 */
export function* prepareInput(
  run: EngineRun,
  initial: SessionState,
  block: Block,
  groupId: string,
  handler: InputHandler,
): Effectful<SessionState> {
  const prepared = handler.prepare ? yield* handler.prepare(block, blockContextOf(run, initial, groupId)) : undefined
  const state = prepared?.state ?? initial
  addLogs(run, prepared?.logs)
  const input = yield* handler.toChatInput(block, blockContextOf(run, state, groupId))
  run.input = prepared?.runtimeOptions ? { ...input, runtimeOptions: prepared.runtimeOptions } : input
  chargeOutput(run, run.input)
  return state
}
