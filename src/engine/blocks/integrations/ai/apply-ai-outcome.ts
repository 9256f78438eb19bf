/**
 * Writes what an AI call produced into the block's variables (§7.5): the answer and token counts
 * of the response mapping, generated variables by name, a file URL or a transcript, and the
 * variables tool code set. Every write is recorded in the history against the block.
 */

import type { AiOutcome } from '../../../ai-call.js'
import type { BlockContext, ExecutionResult } from '../../../block-handler.js'
import { applyVariableUpdates, type VariableUpdate } from '../../../state.js'
import type { ChatLog } from '../../../types.js'
import { findVariableByName, normalizeValue } from '../../../variables.js'
import { type AiAction, itemOf } from './ai-actions.js'
import type { AiOptions } from './parse-ai-options.js'

export type OutcomeWrites = {
  /** False when the answer was streamed: the client sends it back in its next message. */
  includesAnswer: boolean
  /** The legacy block appends the answer to a variable that holds a list. */
  appendsAnswerToList: boolean
}

export function applyAiOutcome(
  blockId: string,
  action: AiAction,
  options: AiOptions,
  outcome: AiOutcome,
  ctx: BlockContext,
  writes: OutcomeWrites,
): ExecutionResult {
  const updates: VariableUpdate[] = outcome.variablesToSet.flatMap(({ name, value }) => {
    const variable = findVariableByName(ctx.variables, name)
    return variable ? [{ id: variable.id, value: normalizeValue(value) }] : []
  })
  const logs: ChatLog[] = []
  if (outcome.ok) updates.push(...mappedUpdates(action, options, outcome, ctx, writes))
  else logs.push({ context: action.context, ...outcome.log })
  const { state, history } = applyVariableUpdates(ctx.state, updates, blockId)
  return { state, setVariableHistory: history, ...(logs.length > 0 ? { logs } : {}) }
}

function mappedUpdates(
  action: AiAction,
  options: AiOptions,
  outcome: Extract<AiOutcome, { ok: true }>,
  ctx: BlockContext,
  writes: OutcomeWrites,
): VariableUpdate[] {
  const set = (variableId: string | undefined, value: unknown): VariableUpdate[] =>
    variableId === undefined || value === undefined ? [] : [{ id: variableId, value: normalizeValue(value) }]
  switch (action.kind) {
    case 'chat':
      return (options.responseMapping ?? []).flatMap((mapping) => {
        const item = itemOf(mapping) ?? 'Message content'
        if (item === 'Message content') {
          if (!writes.includesAnswer || outcome.text === undefined) return []
          return writes.appendsAnswerToList ? appendAnswer(mapping.variableId, outcome.text, ctx) : set(mapping.variableId, outcome.text)
        }
        if (item === 'Total tokens') return set(mapping.variableId, outcome.usage?.totalTokens)
        if (item === 'Prompt tokens') return set(mapping.variableId, outcome.usage?.inputTokens)
        if (item === 'Completion tokens') return set(mapping.variableId, outcome.usage?.outputTokens)
        return []
      })
    case 'respond': {
      const mappings = options.responseMapping ?? []
      const responseIdMapping = mappings.find((mapping) => itemOf(mapping) === 'Response ID')
      const answers = mappings.flatMap((mapping) =>
        writes.includesAnswer && (itemOf(mapping) ?? 'Message') === 'Message' ? set(mapping.variableId, outcome.text) : [],
      )
      return [...answers, ...set(responseIdMapping?.variableId ?? options.responseIdVariableId, outcome.responseId)]
    }
    case 'object':
      return Object.entries(outcome.object ?? {}).flatMap(([name, value]) => {
        const variable = findVariableByName(ctx.variables, name)
        return variable && value !== null ? set(variable.id, value) : []
      })
    case 'speech':
      return set(options.saveUrlInVariableId, outcome.fileUrl)
    case 'transcription':
      return set(options.transcriptionVariableId, outcome.text)
  }
}

function appendAnswer(variableId: string | undefined, answer: string, ctx: BlockContext): VariableUpdate[] {
  if (variableId === undefined) return []
  const current = ctx.variables.find((variable) => variable.id === variableId)?.value
  return [{ id: variableId, value: Array.isArray(current) ? [...current, answer] : normalizeValue(answer) }]
}
