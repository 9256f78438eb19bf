import { isRecord } from '../json-record.js'
import { getResultResponseSchema } from '../schemas/management-api.js'
import type { AnswerRecord, ResultRecord } from '../storage/store.js'

/** A result with its answers, in the shape of Typebot's Builder API (GET results, the NDJSON export). */
export function toResultView(result: ResultRecord, answers: readonly AnswerRecord[]) {
  return {
    id: result.id,
    createdAt: result.createdAt,
    typebotId: result.typebotId,
    // Typebot's results hold only variables with a value; a row written otherwise must not break that.
    variables: getResultResponseSchema.shape.result.shape.variables.parse(
      result.variables.filter((variable) => isRecord(variable) && variable.value !== null && variable.value !== undefined),
    ),
    isCompleted: result.isCompleted,
    hasStarted: result.hasStarted,
    isArchived: result.isArchived,
    lastChatSessionId: result.lastChatSessionId,
    answers: answers.map(({ blockId, content, createdAt, attachedFileUrls }) =>
      attachedFileUrls ? { blockId, content, createdAt, attachedFileUrls } : { blockId, content, createdAt },
    ),
  }
}
