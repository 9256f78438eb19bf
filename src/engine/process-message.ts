/**
 * One message against the block a session waits on (§4.5 steps 1-6): command, resume of a
 * non-input block, validation, events, retry or answer, routing, walk, and auto-resume.
 */
import type { InputHandler, ParsedReply } from './block-handler.js'
import { acceptsStartMessage, findBlockHandler } from './blocks/registry.js'
import { blockContextOf, chargeOutput, type EngineRun, recordHistory, viewOfTop } from './engine-run.js'
import { enterCommandEvent, enterReplyEvent, findInvalidReplyEvent, findReplyEvent } from './events.js'
import { saveAnswer } from './save-answer.js'
import { applyVariableUpdates } from './state.js'
import { findStartEdgeId } from './typebot-view.js'
import type { Block, ChatMessage, Effectful, InputMessage, SessionState } from './types.js'
import { normalizeValue } from './variables.js'
import { applyExecutionResult, prepareInput, type WalkStart, walkFlow } from './walk-flow.js'

export function* processMessage(
  run: EngineRun,
  initial: SessionState,
  initialMessage: InputMessage | undefined,
  isAutoResume = false,
): Effectful<SessionState> {
  let state = initial
  let message = initialMessage
  if (message?.type === 'command') {
    state = enterCommandEvent(state, viewOfTop(run, state), message.command)
    message = undefined
  }

  const view = viewOfTop(run, state)
  const location = state.currentBlockId ? view.findBlock(state.currentBlockId) : undefined
  const group = location && view.findGroup(location.groupId)
  if (!location || !group) {
    // Typebot answers 500 forever here; we start over instead and say why.
    const reason = `The block this conversation waited on (${state.currentBlockId ?? 'none'}) no longer exists; restarting from the start of the typebot, answers kept.`
    return yield* relocate(run, state, { reason }, message)
  }
  const { block } = location
  const handler = findBlockHandler(block)
  let parsed: ParsedReply | undefined

  if (
    initialMessage === undefined &&
    handler &&
    handler.family !== 'input' &&
    handler.family !== 'bubble' &&
    handler.isWaitingForOutsideCall
  ) {
    const result = yield* handler.execute(block, blockContextOf(run, state, group.id))
    run.clientSideActions.push(...(result.clientSideActions ?? []))
    run.hasWalked = true
    run.isUnchanged = true
    return state
  }

  if (handler && handler.family !== 'input' && handler.resume && message?.type === 'text') {
    const ctx = blockContextOf(run, state, group.id)
    const result = yield* handler.resume(block, message.text, ctx)
    state = applyExecutionResult(run, state, result).state
  }

  if (handler?.family === 'input') {
    parsed = yield* handler.parseReply(block, message, blockContextOf(run, state, group.id))
    if (parsed.status === 'success' && handler.verifyReply)
      parsed = yield* handler.verifyReply(block, parsed, blockContextOf(run, state, group.id))
    if (parsed.status === 'success' && parsed.variablesToUpdate?.length) {
      const updates = parsed.variablesToUpdate.map((update) => ({ id: update.id, value: normalizeValue(update.value) }))
      const applied = applyVariableUpdates(state, updates, block.id)
      state = applied.state
      recordHistory(run, state, applied.history)
    }
    const invalidReplyEvent = parsed.status === 'fail' ? findInvalidReplyEvent(view.snapshot) : undefined
    const event = invalidReplyEvent ?? (isAutoResume ? undefined : findReplyEvent(view.snapshot))
    if (event) {
      const entered = enterReplyEvent(state, event, {
        view,
        inputBlockId: block.id,
        inputShortType: handler.shortType,
        inputGroupTitle: group.title,
        message,
      })
      recordHistory(run, entered.state, entered.history)
      return yield* processMessage(run, entered.state, undefined, isAutoResume)
    }
    if (parsed.status === 'fail') {
      return yield* sendRetry(run, state, block, group.id, handler)
    }
    if (message) {
      state = saveAnswer(run, state, { block, group, parsed, message })
      if (message.type === 'text' && parsed.status === 'success' && parsed.content !== message.text) {
        run.lastMessageNewFormat = parsed.content
      }
    }
  }

  const nextEdge = chooseEdge(block, parsed)
  const top = state.typebotsQueue[0]
  const hasFollowingBlocks = location.index + 1 < group.blocks.length
  if (!nextEdge && !hasFollowingBlocks && !top.queuedEdgeIds?.length && state.typebotsQueue.length === 1) return state
  const start: WalkStart = nextEdge
    ? { type: 'edge', edgeId: nextEdge.edgeId, isOffDefaultPath: nextEdge.isOffDefaultPath }
    : { type: 'group', groupId: group.id, blockIndex: location.index + 1 }
  state = yield* walkFlow(run, state, start)

  const mark = state.returnMark
  if (run.input && mark?.status === 'called' && mark.autoResumeMessage && run.input.id === mark.blockId) {
    run.input = undefined
    return yield* processMessage(run, { ...state, returnMark: undefined }, mark.autoResumeMessage, true)
  }
  return state
}

/**
 * Walks from somewhere else than the waiting block (a relocation after a typebot update, or a
 * waiting block that vanished): from the start of `groupId` when it exists, else the start event.
 * The message answers what that walk stops on only when it could at start (§4.5.1).
 */
export function* relocate(
  run: EngineRun,
  initial: SessionState,
  relocation: { groupId?: string; reason: string },
  message: InputMessage | undefined,
): Effectful<SessionState> {
  run.logs.push({ status: 'info', description: relocation.reason })
  const { relocation: _done, currentBlockId: _lost, ...rest } = initial
  const view = viewOfTop(run, rest)
  const group = relocation.groupId ? view.findGroup(relocation.groupId) : undefined
  const start: WalkStart = group
    ? { type: 'group', groupId: group.id, blockIndex: 0 }
    : { type: 'edge', edgeId: findStartEdgeId(view.snapshot) }
  const state = yield* walkFlow(run, rest, start)
  return yield* answerWithStartMessage(run, state, message)
}

/** §4.5.1: a message sent along with a start answers the first input only when nothing came before it. */
export function* answerWithStartMessage(run: EngineRun, state: SessionState, message: InputMessage | undefined): Effectful<SessionState> {
  if (!message || !canTakeStartMessage(run)) return state
  run.input = undefined
  return yield* processMessage(run, state, message)
}

/**
 * No message shown, a plain input reached, no blocking action. Without an input the message is
 * ignored (Typebot would restart the flow with it again and again).
 */
function canTakeStartMessage(run: EngineRun): boolean {
  return (
    run.messages.length === 0 &&
    run.input !== undefined &&
    acceptsStartMessage(run.input.type) &&
    !run.clientSideActions.some((action) => action.expectsDedicatedReply === true)
  )
}

function chooseEdge(block: Block, parsed: ParsedReply | undefined): { edgeId: string; isOffDefaultPath: boolean } | undefined {
  if (parsed?.status === 'success' && parsed.outgoingEdgeId) {
    return { edgeId: parsed.outgoingEdgeId, isOffDefaultPath: parsed.outgoingEdgeId !== block.outgoingEdgeId }
  }
  return block.outgoingEdgeId ? { edgeId: block.outgoingEdgeId, isOffDefaultPath: false } : undefined
}

/** §4.8: the retry bubble (id = the input's id) and the same input again. */
function* sendRetry(run: EngineRun, state: SessionState, block: Block, groupId: string, handler: InputHandler): Effectful<SessionState> {
  const ctx = blockContextOf(run, state, groupId)
  const text = yield* handler.retryMessage(block, ctx)
  const content: Extract<ChatMessage, { type: 'text' }>['content'] =
    run.textBubbleContentFormat === 'markdown'
      ? { type: 'markdown', markdown: text }
      : { type: 'richText', richText: [{ type: 'p', children: [{ text }] }] }
  const message: ChatMessage = { id: block.id, type: 'text', content }
  chargeOutput(run, message)
  run.messages.push(message)
  run.isRetry = true
  return yield* prepareInput(run, state, block, groupId, handler)
}
