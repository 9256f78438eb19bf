/**
 * What every input handler shares: the block as the client receives it (§6.2.0), reading the
 * reply text, and the retry text (§4.8).
 */

import { isRecord, parseUserJson } from '../../../json-record.js'
import type { BlockContext } from '../../block-handler.js'
import { type Comparison, evaluateCondition } from '../../conditions.js'
import type { ChatInput, Effectful, InputMessage } from '../../types.js'
import { substituteDeep, substituteVariables } from '../../variables.js'

type StoredInput = { id: string; type: string; outgoingEdgeId?: string; options?: object }

/**
 * The stored block with variables substituted in its options, without fields outside the block
 * schema (v4/v5 blocks carry a `groupId`). `items` are passed already computed.
 */
export function* toChatInputBase(
  block: StoredInput,
  ctx: BlockContext,
  extras: { items?: unknown[]; options?: object; isPrefillable?: boolean } = {},
): Effectful<ChatInput> {
  const input: ChatInput = { id: block.id, type: block.type }
  if (block.outgoingEdgeId !== undefined) input.outgoingEdgeId = block.outgoingEdgeId
  if (extras.items !== undefined) input.items = extras.items
  const options = extras.options ?? (block.options && (yield* substituteDeep(block.options, ctx.variables)))
  if (options !== undefined) input.options = options
  if (extras.isPrefillable) {
    const prefilledValue = findPrefilledValue(block.options, ctx)
    if (prefilledValue !== undefined) input.prefilledValue = prefilledValue
  }
  return input
}

/** The current value of the input's variable when it is a non-empty string (lists never prefill). */
function findPrefilledValue(options: object | undefined, ctx: BlockContext): string | undefined {
  const variableId = options && 'variableId' in options ? options.variableId : undefined
  if (typeof variableId !== 'string') return undefined
  const value = ctx.variables.find((variable) => variable.id === variableId)?.value
  return typeof value === 'string' && value !== '' ? value : undefined
}

/** The text of a text message; undefined for no message, audio or command. */
export function textOf(message: InputMessage | undefined): string | undefined {
  return message?.type === 'text' ? message.text : undefined
}

export const defaultInvalidMessage = 'Invalid message. Please, try again.'

/**
 * Longest replies worth parsing: date, time and phone parsers spend microseconds per character,
 * and no real answer comes close. Longer replies are invalid answers.
 */
export const MAX_PARSED_REPLY_CHARS = 1_000

/**
 * §4.8: the block's own retry text when set, else the input's default, else the typebot's
 * `invalidMessage` system message, else the generic text.
 */
export function* retryMessageOf(ctx: BlockContext, retryMessageContent?: string, inputDefault?: string): Effectful<string> {
  if (retryMessageContent) return yield* substituteVariables(retryMessageContent, ctx.variables)
  if (inputDefault) return inputDefault
  const invalidMessage = readInvalidMessage(ctx.typebot.settings)
  return invalidMessage ? yield* substituteVariables(invalidMessage, ctx.variables) : defaultInvalidMessage
}

function readInvalidMessage(settings: Record<string, unknown>): string | undefined {
  const general = settings.general
  if (!isRecord(general) || !isRecord(general.systemMessages)) return undefined
  const { invalidMessage } = general.systemMessages
  return typeof invalidMessage === 'string' && invalidMessage !== '' ? invalidMessage : undefined
}

export type DisplayCondition = {
  isEnabled?: boolean
  condition?: { logicalOperator?: 'AND' | 'OR'; comparisons?: (Comparison | null)[] }
}

/** Items stay unless their display condition is enabled and false (a missing operator means AND). */
export function* isDisplayed(displayCondition: DisplayCondition | undefined, ctx: BlockContext): Effectful<boolean> {
  if (!displayCondition?.isEnabled || !displayCondition.condition) return true
  const { condition } = displayCondition
  return yield* evaluateCondition(
    {
      logicalOperator: condition.logicalOperator ?? 'AND',
      comparisons: condition.comparisons?.filter((comparison) => comparison !== null),
    },
    ctx.variables,
  )
}

/** A list variable's entries, or a JSON-array string's entries, or the string alone. */
export function toValueList(value: string | (string | null)[] | null | undefined): (string | null)[] {
  if (value === null || value === undefined) return []
  if (Array.isArray(value)) return value
  if (value.trimStart().startsWith('[')) {
    const parsed = parseUserJson(value)
    if (Array.isArray(parsed?.value)) return parsed.value.map((entry) => toListEntry(entry))
  }
  return [value]
}

function toListEntry(entry: unknown): string | null {
  if (entry === null || entry === undefined) return null
  return typeof entry === 'string' ? entry : JSON.stringify(entry)
}

/** The items whose display condition holds, in their order. */
export function* filterDisplayed<T>(items: T[], conditionOf: (item: T) => DisplayCondition | undefined, ctx: BlockContext): Effectful<T[]> {
  const displayed: T[] = []
  for (const item of items) if (yield* isDisplayed(conditionOf(item), ctx)) displayed.push(item)
  return displayed
}
