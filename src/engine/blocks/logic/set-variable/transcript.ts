/**
 * The Transcript set-variable type (§4.15.3): the conversation so far as text, rebuilt by
 * replaying stored answers, visited edges and set-variable history over the top typebot.
 */
import type { BlockContext } from '../../../block-handler.js'
import type { Effectful, EffectResult } from '../../../types.js'
import { type ConversationHistory, replayConversation } from './replay-conversation.js'

export function* computeTranscript(stopAtBlockId: string, ctx: BlockContext): Effectful<string> {
  const history = yield* loadConversationHistory(ctx)
  return (yield* replayConversation(ctx, history, stopAtBlockId))
    .map((message) => `${message.role === 'bot' ? 'Assistant' : 'User'}: "${message.text}"`)
    .join('\n\n')
}

/** Stored history (or the preview's in-state copy) plus what this call has not persisted yet. */
function* loadConversationHistory(ctx: BlockContext): Effectful<ConversationHistory> {
  const { state } = ctx
  const resultId = state.typebotsQueue[0].resultId
  if (state.isPreview || !resultId) {
    return {
      answers: state.previewMetadata?.answers ?? [],
      visitedEdges: state.previewMetadata?.visitedEdges ?? [],
      setVariableHistory: state.previewMetadata?.setVariableHistory ?? [],
    }
  }
  const loaded: EffectResult = yield { type: 'loadHistory', resultId }
  const stored = loaded.type === 'loadHistory' ? loaded : { answers: [], visitedEdges: [], setVariableHistory: [] }
  const pending = ctx.pendingRecords
  const ofThisResult = <T extends { resultId: string }>(rows: readonly T[] | undefined) =>
    (rows ?? []).filter((row) => row.resultId === resultId)
  return {
    answers: [...stored.answers, ...ofThisResult(pending?.answers)],
    visitedEdges: [...stored.visitedEdges, ...ofThisResult(pending?.visitedEdges).map((row) => row.edgeId)],
    setVariableHistory: [...stored.setVariableHistory, ...ofThisResult(pending?.setVariableHistory)],
  }
}
