/**
 * Reply, invalid-reply and command events (§4.9) and return marks. Entering an event parks the
 * session on a synthetic entry block in the event's target group; the caller then continues as
 * if that block had just been answered, so the walk starts right after it.
 */
import { AppError } from '../errors.js'
import { addVirtualEdge, applyVariableUpdates, replaceTopEntry, type VariableUpdate } from './state.js'
import type { TypebotView } from './typebot-view.js'
import type { ChatLog, InputMessage, SessionState, SetVariableHistoryItem, TypebotEvent, TypebotSnapshot } from './types.js'
import { normalizeValue } from './variables.js'

/** The reply event that runs for every reply: the first one connected to something. */
export function findReplyEvent(snapshot: TypebotSnapshot): TypebotEvent | undefined {
  return snapshot.events?.find((event) => event.type === 'reply' && event.outgoingEdgeId)
}

/**
 * The invalid-reply event. Unlike Typebot we skip unconnected ones: an invalid-reply event left
 * dangling in the editor would otherwise turn every invalid answer into a 400.
 */
export function findInvalidReplyEvent(snapshot: TypebotSnapshot): TypebotEvent | undefined {
  return snapshot.events?.find((event) => event.type === 'invalidReply' && event.outgoingEdgeId)
}

export type ReplyEventContext = {
  view: TypebotView
  inputBlockId: string
  inputShortType: string
  inputGroupTitle: string
  message: InputMessage | undefined
}

/** §4.9.1 / §4.9.2: maps the reply into the event's variables, marks the input, parks on the event. */
export function enterReplyEvent(
  state: SessionState,
  event: TypebotEvent,
  context: ReplyEventContext,
): { state: SessionState; history: SetVariableHistoryItem[] } {
  const options = event.options ?? {}
  const updates: VariableUpdate[] = []
  const map = (key: string, value: unknown) => {
    const variableId = options[key]
    if (typeof variableId === 'string') updates.push({ id: variableId, value: normalizeValue(value) })
  }
  map('contentVariableId', replyTextOf(context.message))
  map('inputTypeVariableId', context.inputShortType)
  map('inputNameVariableId', context.inputGroupTitle)
  const { state: withVariables, history } = applyVariableUpdates(state, updates, context.inputBlockId)

  const isReplyEvent = event.type === 'reply'
  const marked: SessionState = {
    ...withVariables,
    returnMark: {
      status: 'pending',
      blockId: context.inputBlockId,
      ...(isReplyEvent && context.message ? { autoResumeMessage: context.message } : {}),
    },
  }
  const messages = isReplyEvent ? { edge: 'Could not find outgoing edge', group: 'Could not find outgoing edge' } : eventErrorMessages
  return { state: parkOnEvent(marked, context.view, event, messages), history }
}

/** §4.9.3: a command message; throws when no command event matches (the session is untouched). */
export function enterCommandEvent(state: SessionState, view: TypebotView, command: string): SessionState {
  const event = view.snapshot.events?.find((candidate) => candidate.type === 'command' && candidate.options?.command === command)
  if (!event) throw new AppError('INVALID_REQUEST', 'Command event not found')
  let next = state
  const current = state.currentBlockId ? view.findBlock(state.currentBlockId) : undefined
  if (current && event.options?.resumeAfter === true) {
    const { state: withEdge, edgeId } = addVirtualEdge(next, { groupId: current.groupId, blockId: current.block.id })
    const top = withEdge.typebotsQueue[0]
    next = replaceTopEntry(withEdge, { ...top, queuedEdgeIds: [edgeId, ...(top.queuedEdgeIds ?? [])] })
  } else if (current) {
    next = { ...next, returnMark: { status: 'pending', blockId: current.block.id } }
  }
  return parkOnEvent(next, view, event, eventErrorMessages)
}

/**
 * The Return block (§4.11.3): a virtual edge back to the marked block, or nothing without a mark.
 * A mark whose block vanished (typebot update) is dropped with a log instead of failing.
 */
export function followReturnMark(
  state: SessionState,
  view: TypebotView,
): { state: SessionState; edgeId?: string; log?: ChatLog } | undefined {
  const mark = state.returnMark
  if (!mark) return undefined
  const location = view.findBlock(mark.blockId)
  if (!location) {
    return {
      state: { ...state, returnMark: undefined },
      log: { status: 'error', description: 'Could not find block to return to', details: JSON.stringify({ blockId: mark.blockId }) },
    }
  }
  const { state: withEdge, edgeId } = addVirtualEdge(state, { groupId: location.groupId, blockId: mark.blockId })
  return { state: { ...withEdge, returnMark: mark.autoResumeMessage ? { ...mark, status: 'called' } : undefined }, edgeId }
}

const eventErrorMessages = {
  edge: "Command event doesn't have a connected edge",
  group: "Command event doesn't have a connected group",
}

/** Inserts `virtual-<eventId>-block` where the event's edge points and makes it current. */
function parkOnEvent(state: SessionState, view: TypebotView, event: TypebotEvent, errors: { edge: string; group: string }): SessionState {
  const edge = event.outgoingEdgeId ? view.findEdge(event.outgoingEdgeId) : undefined
  if (!edge) throw new AppError('INVALID_REQUEST', errors.edge)
  const group = view.findGroup(edge.to.groupId)
  if (!group) throw new AppError('INVALID_REQUEST', errors.group)
  const blockId = `virtual-${event.id}-block`
  const next = { ...state, currentBlockId: blockId }
  if (view.findBlock(blockId)) return next
  const targetIndex = edge.to.blockId ? group.blocks.findIndex((block) => block.id === edge.to.blockId) : 0
  const top = next.typebotsQueue[0]
  // A pass-through marker: when the group is entered from its top later, it does nothing.
  const virtualBlock = { groupId: group.id, index: Math.max(targetIndex, 0), block: { id: blockId, type: 'start' as const } }
  return replaceTopEntry(next, { ...top, virtualBlocks: [...(top.virtualBlocks ?? []), virtualBlock] })
}

function replyTextOf(message: InputMessage | undefined): string | undefined {
  if (!message) return undefined
  if (message.type === 'audio') return message.url
  if (message.type === 'text') return message.text
  return undefined
}
