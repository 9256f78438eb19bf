/**
 * Replays a conversation over the top typebot without side effects: bubbles are rendered with
 * the variables as they were, inputs take the recorded answers, routing blocks re-decide (or
 * follow the recorded visited edges), and the recorded set-variable history restores values.
 */
import type { BlockContext } from '../../../block-handler.js'
import { checkpoint } from '../../../run-code.js'
import { replaceTopEntry } from '../../../state.js'
import { findStartEdgeId, outgoingEdgeIdsOf, viewTypebot } from '../../../typebot-view.js'
import type { Block, ChatMessage, Effectful, SessionState, VariableValue } from '../../../types.js'
import { findBlockHandler } from '../../registry.js'

export type ConversationHistory = {
  answers: { blockId: string; content: string; attachedFileUrls?: string[] }[]
  visitedEdges: string[]
  setVariableHistory: { blockId: string; variableId: string; value: VariableValue; blockIndex: number }[]
}

/**
 * `text` is what the Transcript variable shows (a media bubble's URL); `type` says what it is.
 * A user message carries the position of its answer among the recorded answers.
 */
export type TranscriptMessage = { role: 'bot' | 'user'; type: 'text' | 'image' | 'video' | 'audio'; text: string; answerIndex?: number }

const MAX_REPLAYED_BLOCKS = 10_000

/** Messages up to `stopAtBlockId` (its first visit that has no recorded value left). */
export function* replayConversation(
  ctx: BlockContext,
  history: ConversationHistory,
  stopAtBlockId: string,
): Effectful<TranscriptMessage[]> {
  const answers = [...history.answers]
  let answerIndex = 0
  const visitedEdges = [...history.visitedEdges]
  const setVariableHistory = [...history.setVariableHistory]
  const transcript: TranscriptMessage[] = []
  const top = ctx.state.typebotsQueue[0]
  let state: SessionState = {
    ...replaceTopEntry(ctx.state, { ...top, variables: top.variables.map(({ value: _value, ...variable }) => variable) }),
    returnMark: undefined,
  }
  const viewOf = (current: SessionState) => viewTypebot(ctx.typebot, current.typebotsQueue[0])
  let edgeId = findStartEdgeId(ctx.typebot)
  let replayed = 0

  while (edgeId !== undefined) {
    const view = viewOf(state)
    const edge = view.findEdge(edgeId)
    const group = edge && view.findGroup(edge.to.groupId)
    if (!edge || !group) break
    const startIndex = edge.to.blockId
      ? Math.max(
          group.blocks.findIndex((block) => block.id === edge.to.blockId),
          0,
        )
      : 0
    edgeId = undefined
    let nextEdgeId: string | undefined

    for (const block of group.blocks.slice(startIndex)) {
      replayed += 1
      if (replayed > MAX_REPLAYED_BLOCKS) return transcript
      yield* checkpoint()
      if (block.id === stopAtBlockId && setVariableHistory[0]?.blockId !== block.id) return transcript
      state = restoreRecordedValues(state, block.id, setVariableHistory)
      nextEdgeId = block.outgoingEdgeId
      const handler = findBlockHandler(block)
      if (!handler) continue
      const blockCtx: BlockContext = {
        ...ctx,
        state,
        variables: state.typebotsQueue[0].variables,
        textBubbleContentFormat: 'markdown',
        groupId: group.id,
      }

      if (handler.family === 'bubble') {
        const message = transcriptMessageOf((yield* handler.toMessage(block, blockCtx))?.message)
        if (message) transcript.push(message)
        continue
      }
      if (handler.family === 'input') {
        const answer = answers[0]
        if (!answer || answer.blockId !== block.id) return transcript
        answers.shift()
        state = withAnswerVariable(state, block, answer.content)
        const text = answer.attachedFileUrls?.length ? `${answer.attachedFileUrls.join(', ')}\n\n${answer.content}` : answer.content
        transcript.push({ role: 'user', type: 'text', text, answerIndex })
        answerIndex += 1
        const itemEdgeIds = outgoingEdgeIdsOf(block).filter((id) => id !== block.outgoingEdgeId)
        if (visitedEdges[0] !== undefined && itemEdgeIds.includes(visitedEdges[0])) {
          edgeId = visitedEdges.shift()
          break
        }
        if (block.outgoingEdgeId) {
          edgeId = block.outgoingEdgeId
          break
        }
        continue
      }

      const step = handler.replay ? yield* handler.replay(block, blockCtx, visitedEdges[0]) : undefined
      if (!step) continue
      if (step.consumesVisitedEdge) visitedEdges.shift()
      if (step.state) state = step.state
      if (step.outgoingEdgeId === null) return transcript
      if (step.outgoingEdgeId) {
        edgeId = step.outgoingEdgeId
        break
      }
    }
    if (edgeId === undefined) edgeId = nextEdgeId
  }
  return transcript
}

/** Applies the recorded batch of values written by this block, if it is the next one. */
function restoreRecordedValues(state: SessionState, blockId: string, history: ConversationHistory['setVariableHistory']): SessionState {
  const first = history[0]
  if (!first || first.blockId !== blockId) return state
  const batch: ConversationHistory['setVariableHistory'] = []
  while (history[0] && history[0].blockId === blockId && history[0].blockIndex === first.blockIndex) {
    const item = history.shift()
    if (item) batch.push(item)
  }
  const top = state.typebotsQueue[0]
  const variables = top.variables.map((variable) => {
    const item = batch.findLast((candidate) => candidate.variableId === variable.id)
    return item ? { ...variable, value: item.value } : variable
  })
  return replaceTopEntry(state, { ...top, variables })
}

function withAnswerVariable(state: SessionState, block: Block, content: string): SessionState {
  const options: unknown = 'options' in block ? block.options : undefined
  if (typeof options !== 'object' || options === null || !('variableId' in options)) return state
  const variableId = options.variableId
  const top = state.typebotsQueue[0]
  const variables = top.variables.map((variable) => {
    if (variable.id !== variableId) return variable
    return { ...variable, value: Array.isArray(variable.value) ? [...variable.value, content] : content || null }
  })
  return replaceTopEntry(state, { ...top, variables })
}

function transcriptMessageOf(message: ChatMessage | undefined): TranscriptMessage | undefined {
  if (!message) return undefined
  if (message.type === 'text') {
    return message.content.type === 'markdown' ? { role: 'bot', type: 'text', text: message.content.markdown } : undefined
  }
  if (message.type === 'image' || message.type === 'video' || message.type === 'audio') {
    const url = message.content.url
    return typeof url === 'string' ? { role: 'bot', type: message.type, text: url } : undefined
  }
  return undefined
}
