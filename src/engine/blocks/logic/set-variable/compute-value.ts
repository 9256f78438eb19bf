/**
 * Server-side values of the Set variable block, one rule per `type` (§4.11.9 table).
 */
import type { SetVariableBlock } from '../../../../schemas/blocks/logic.js'
import type { BlockContext } from '../../../block-handler.js'
import { runCode } from '../../../run-code.js'
import type { VariableUpdate } from '../../../state.js'
import type { ChatLog, Effectful, Variable, VariableValue } from '../../../types.js'
import { codeGlobalsOf, findVariableByName, normalizeValue, substituteVariables } from '../../../variables.js'
import { formatInTimeZone } from './format-date.js'
import { computeTranscript } from './transcript.js'

export type ComputedValue = { updates: VariableUpdate[]; logs?: ChatLog[] }

type Options = NonNullable<SetVariableBlock['options']>
type ValueRule = (options: Options, target: Variable, ctx: BlockContext, block: SetVariableBlock) => Effectful<ComputedValue>

const DAY_MS = 86_400_000

const set = (target: Variable, value: unknown): ComputedValue => ({ updates: [{ id: target.id, value: normalizeValue(value) }] })

const valueRules: Record<string, ValueRule> = {
  *Custom(options, target, ctx) {
    return yield* evaluateExpression(options, target, ctx)
  },
  *Empty(_options, target) {
    return set(target, null)
  },
  *'Append value(s)'(options, target, ctx) {
    const item = yield* substituteVariables(options.item, ctx.variables)
    const current = target.value
    if (current === undefined || current === null) return set(target, [item])
    return set(target, Array.isArray(current) ? [...current, item] : [current, item])
  },
  *'Environment name'(_options, target) {
    return set(target, 'web')
  },
  *Transcript(_options, target, ctx, block) {
    const transcript = yield* computeTranscript(block.id, ctx)
    return { updates: [{ id: target.id, value: normalizeValue(transcript), isSessionVariable: true }] }
  },
  *'User ID'(_options, target, ctx) {
    return set(target, ctx.state.typebotsQueue[0].resultId ?? ctx.env.newId())
  },
  *'Result ID'(_options, target, ctx) {
    return set(target, ctx.state.typebotsQueue[0].resultId ?? ctx.env.newId())
  },
  *Now(options, target, ctx) {
    return set(target, formatInTimeZone(ctx.env.now(), yield* timeZoneOf(options, ctx)))
  },
  *Today(_options, target, ctx) {
    return set(target, new Date(ctx.env.now()).toISOString())
  },
  *Yesterday(options, target, ctx) {
    return set(target, formatInTimeZone(ctx.env.now() - DAY_MS, yield* timeZoneOf(options, ctx)))
  },
  *Tomorrow(options, target, ctx) {
    return set(target, formatInTimeZone(ctx.env.now() + DAY_MS, yield* timeZoneOf(options, ctx)))
  },
  *'Random ID'(_options, target, ctx) {
    return set(target, ctx.env.newId())
  },
  *'Map item with same index'(options, target, ctx) {
    return set(target, mapItemWithSameIndex(options, ctx.variables))
  },
  *Pop(options, target) {
    return removeListItem(options, target, 'last')
  },
  *Shift(options, target) {
    return removeListItem(options, target, 'first')
  },
  // WhatsApp-only data: always empty on the web runtime.
  *'Phone number'(_options, target) {
    return set(target, null)
  },
  *'Contact name'(_options, target) {
    return set(target, null)
  },
  *'Referral Click ID'(_options, target) {
    return set(target, null)
  },
  *'Referral Source ID'(_options, target) {
    return set(target, null)
  },
}

/** undefined for a type this runtime does not know (the block then does nothing). */
export function* computeValue(block: SetVariableBlock, target: Variable, ctx: BlockContext): Effectful<ComputedValue | undefined> {
  const options = block.options ?? {}
  const rule = valueRules[options.type ?? 'Custom']
  if (!rule) return undefined
  return yield* rule(options, target, ctx, block)
}

function* evaluateExpression(options: Options, target: Variable, ctx: BlockContext): Effectful<ComputedValue> {
  const expression = options.expressionToEvaluate
  if (expression === undefined) return set(target, null)
  const single = /^\{\{([^{}]+)\}\}$/.exec(expression.trim())
  if (single) {
    const value = findVariableByName(ctx.variables, single[1]!)?.value
    return set(target, Array.isArray(value) ? JSON.stringify(value) : (value ?? null))
  }
  // "0123" stays text: evaluated as code it would lose its leading zero.
  if (expression.trim() !== '' && !Number.isNaN(Number(expression)) && /0[^.].+/.test(expression)) return set(target, expression)

  const code = yield* substituteVariables(expression, ctx.variables, { mode: 'id' })
  const result = yield* runCode(code.includes('return ') ? code : `return ${code}`, codeGlobalsOf(code, ctx.variables))
  if (result.ok) return set(target, result.value)

  // Not code after all (plain text like "Hello {{Name}}"): store it substituted.
  const fallback = set(target, yield* substituteVariables(expression, ctx.variables))
  if (!options.isCode) return fallback
  const errorVariable = ctx.variables.find((variable) => variable.id === options.saveErrorInVariableId)
  return {
    updates: [...fallback.updates, ...(errorVariable ? [{ id: errorVariable.id, value: normalizeValue(result.error) }] : [])],
    logs: [{ status: 'error', context: 'While evaluating set variable expression', description: result.error }],
  }
}

function* timeZoneOf(options: Options, ctx: BlockContext): Effectful<string | undefined> {
  if (!options.timeZone) return undefined
  return (yield* substituteVariables(options.timeZone, ctx.variables)) || undefined
}

function mapItemWithSameIndex(options: Options, variables: Variable[]): VariableValue {
  const params = options.mapListItemParams
  const valueFor = (id: string | undefined) => variables.find((variable) => variable.id === id)?.value
  const baseItem = valueFor(params?.baseItemVariableId)
  const baseList = valueFor(params?.baseListVariableId)
  const targetList = valueFor(params?.targetListVariableId)
  if (typeof baseItem !== 'string' || !Array.isArray(baseList) || !Array.isArray(targetList)) return null
  const index = baseList.indexOf(baseItem)
  if (index === -1) return null
  return targetList[index] || null
}

function removeListItem(options: Options, target: Variable, end: 'first' | 'last'): ComputedValue {
  const current = target.value
  if (current === undefined || current === null) return set(target, null)
  const list = Array.isArray(current) ? current : [current]
  const removed = end === 'last' ? list.at(-1) : list[0]
  const remaining = Array.isArray(current) ? (end === 'last' ? list.slice(0, -1) : list.slice(1)) : []
  const updates: VariableUpdate[] = [{ id: target.id, value: normalizeValue(remaining) }]
  if (options.saveItemInVariableId) updates.push({ id: options.saveItemInVariableId, value: normalizeValue(removed ?? null) })
  return { updates }
}
