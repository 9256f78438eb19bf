/**
 * Saving an accepted answer (§4.7): the answer row (live) or preview copy, the input's variables,
 * the in-state answer keyed by variable name or group title, and the progress count.
 */

import { recordOf } from '../json-record.js'
import type { ParsedReply } from './block-handler.js'
import { findBlockHandler } from './blocks/registry.js'
import type { EngineRun } from './engine-run.js'
import { applyVariableUpdates, replaceTopEntry, type VariableUpdate } from './state.js'
import type { Block, Group, InputMessage, SessionState, Variable } from './types.js'
import { normalizeValue } from './variables.js'

export type AcceptedReply = {
  block: Block
  group: Group
  parsed: ParsedReply
  message: InputMessage
}

export function saveAnswer(run: EngineRun, initial: SessionState, reply: AcceptedReply): SessionState {
  const { block, group, parsed, message } = reply
  const content = replyContentOf(message, parsed)
  if (content === undefined) return initial
  const attachedFileUrls = message.type === 'text' && message.attachedFileUrls?.length ? message.attachedFileUrls : undefined
  let state = initial
  const top = state.typebotsQueue[0]

  if (state.isPreview || !top.resultId) {
    const answers = [
      ...(state.previewMetadata?.answers ?? []),
      { blockId: block.id, content, ...(attachedFileUrls ? { attachedFileUrls } : {}) },
    ]
    state = { ...state, previewMetadata: { ...state.previewMetadata, answers } }
  } else {
    run.records.answers.push({ resultId: top.resultId, blockId: block.id, content, ...(attachedFileUrls ? { attachedFileUrls } : {}) })
  }

  const options = optionsOf(block)
  state = applyVariableUpdates(state, answerVariableUpdates(options, top.variables, message, content, attachedFileUrls)).state

  const key = answerKeyOf(block, group, options, top.variables)
  const value = attachedFileUrls ? `${attachedFileUrls.join(', ')}\n\n${content}` : content
  const entry = state.typebotsQueue[0]
  state = replaceTopEntry(state, { ...entry, answers: [...entry.answers.filter((answer) => answer.key !== key), { key, value }] })
  if (state.progressMetadata) state = { ...state, progressMetadata: { totalAnswers: state.progressMetadata.totalAnswers + 1 } }
  return state
}

function replyContentOf(message: InputMessage, parsed: ParsedReply): string | undefined {
  if (message.type === 'audio') return message.url
  if (message.type !== 'text') return undefined
  return parsed.status === 'success' ? parsed.content : message.text
}

function answerVariableUpdates(
  options: Record<string, unknown>,
  variables: Variable[],
  message: InputMessage,
  content: string,
  attachedFileUrls: string[] | undefined,
): VariableUpdate[] {
  const updates: VariableUpdate[] = []
  const current = (id: string) => variables.find((variable) => variable.id === id)?.value
  const attachments = recordOf(options.attachments)
  if (attachedFileUrls && attachments.isEnabled === true && typeof attachments.saveVariableId === 'string') {
    const existing = current(attachments.saveVariableId)
    const value = Array.isArray(existing)
      ? [...existing, ...attachedFileUrls]
      : attachedFileUrls.length === 1
        ? attachedFileUrls[0]
        : attachedFileUrls
    updates.push({ id: attachments.saveVariableId, value: normalizeValue(value) })
  }
  const audioClip = recordOf(options.audioClip)
  if (message.type === 'audio' && audioClip.isEnabled === true && typeof audioClip.saveVariableId === 'string') {
    updates.push({ id: audioClip.saveVariableId, value: normalizeValue(message.url) })
  }
  if (message.type === 'text' && typeof options.variableId === 'string') {
    const existing = current(options.variableId)
    // An input bound to a list variable collects its answers.
    updates.push({ id: options.variableId, value: normalizeValue(Array.isArray(existing) ? [...existing, content] : content) })
  }
  return updates
}

/** The variable's name, else the group title with ` (n)` for its n-th input (n ≥ 1), else the id. */
function answerKeyOf(block: Block, group: Group, options: Record<string, unknown>, variables: Variable[]): string {
  const variableName = variables.find((variable) => variable.id === options.variableId)?.name
  if (variableName) return variableName
  if (!group.title) return block.id
  const inputs = group.blocks.filter((candidate) => findBlockHandler(candidate)?.family === 'input')
  const position = inputs.findIndex((candidate) => candidate.id === block.id)
  return position >= 1 ? `${group.title} (${position})` : group.title
}

function optionsOf(block: Block): Record<string, unknown> {
  return 'options' in block ? recordOf(block.options) : {}
}
