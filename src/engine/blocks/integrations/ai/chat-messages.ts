/**
 * The messages of a chat completion, from a block's options (runtime spec §7.5): plain messages
 * with their variables substituted, a `Dialogue` unrolled from a list variable, and the legacy
 * block's "Messages sequence ✨" interleaving two lists. Empty messages are left out.
 */

import type { AiMessage } from '../../../ai-call.js'
import type { BlockContext } from '../../../block-handler.js'
import type { Effectful, VariableValue } from '../../../types.js'
import { substituteVariables } from '../../../variables.js'
import type { AiMessageOption } from './parse-ai-options.js'

const standardRoles = ['system', 'user', 'assistant'] as const

export function* buildChatMessages(messages: AiMessageOption[], ctx: BlockContext): Effectful<AiMessage[]> {
  const built: AiMessage[] = []
  for (const message of messages) {
    if (message.role === 'Dialogue') built.push(...dialogueMessages(message, ctx))
    else if (message.role === 'Messages sequence ✨') built.push(...sequenceMessages(message, ctx))
    else {
      const role = standardRoles.find((candidate) => candidate === message.role)
      if (!role || typeof message.content !== 'string') continue
      const content = yield* substituteVariables(message.content, ctx.variables)
      if (content.trim() !== '') built.push({ role, content })
    }
  }
  return built
}

/**
 * Items alternate user/assistant, starting with `startsBy`. Typebot sends only the first item as
 * assistant when the dialogue starts by the assistant, and every later one as user (its
 * `index % 1`); botflow alternates (docs/compatibility.md).
 */
function dialogueMessages(message: AiMessageOption, ctx: BlockContext): AiMessage[] {
  const items = listOf(variableValue(message.dialogueVariableId, ctx))
  const offset = message.startsBy === 'assistant' ? 1 : 0
  return items.flatMap((item, index): AiMessage[] => {
    if (!item) return []
    return [{ role: (index + offset) % 2 === 0 ? 'user' : 'assistant', content: item }]
  })
}

/** The legacy role: user and assistant lists, zipped starting with the longer one (as Typebot). */
function sequenceMessages(message: AiMessageOption, ctx: BlockContext): AiMessage[] {
  const content = message.content
  if (typeof content !== 'object' || content === null) return []
  const userMessages = listOf(variableValue(stringField(content, 'userMessagesVariableId'), ctx))
  const assistantMessages = listOf(variableValue(stringField(content, 'assistantMessagesVariableId'), ctx))
  const pairs =
    userMessages.length > assistantMessages.length
      ? userMessages.flatMap((user, index): AiMessage[] => [
          { role: 'user', content: user ?? '' },
          { role: 'assistant', content: assistantMessages[index] ?? '' },
        ])
      : assistantMessages.flatMap((assistant, index): AiMessage[] => [
          { role: 'assistant', content: assistant ?? '' },
          { role: 'user', content: userMessages[index] ?? '' },
        ])
  return pairs.filter((pair) => pair.content !== '')
}

function variableValue(variableId: string | undefined, ctx: BlockContext): VariableValue | undefined {
  if (!variableId) return undefined
  return ctx.variables.find((variable) => variable.id === variableId)?.value
}

function listOf(value: VariableValue | undefined): (string | null)[] {
  if (value === undefined || value === null) return []
  return Array.isArray(value) ? value : [value]
}

function stringField(record: object, key: string): string | undefined {
  const value: unknown = Object.getOwnPropertyDescriptor(record, key)?.value
  return typeof value === 'string' ? value : undefined
}
