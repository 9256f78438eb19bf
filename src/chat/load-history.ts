import type { ConversationHistory } from '../engine/result-transcript.js'
import type { VariableValue } from '../engine/types.js'
import type { Store } from '../storage/store.js'

/** What a Transcript replay needs of a stored result: answers, visited edges, set-variable history. */
export async function loadConversationHistory(store: Store, resultId: string): Promise<ConversationHistory> {
  const [answers, visitedEdges, history] = await Promise.all([
    store.listAnswers(resultId),
    store.listVisitedEdges(resultId),
    store.listSetVariableHistory(resultId),
  ])
  return {
    answers: answers.map((answer) => ({
      blockId: answer.blockId,
      content: answer.content,
      attachedFileUrls: answer.attachedFileUrls ?? undefined,
    })),
    visitedEdges,
    setVariableHistory: history.map((item) => ({ ...item, value: toVariableValue(item.value) })),
  }
}

function toVariableValue(value: unknown): VariableValue {
  if (typeof value === 'string' || value === null) return value
  if (Array.isArray(value)) return value.map((item) => (typeof item === 'string' ? item : null))
  return null
}
