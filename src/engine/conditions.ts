/**
 * Condition evaluation (§4.12), shared by the Condition block and item display conditions.
 */
import type { ChatLog, EngineEnv, Variable, VariableValue } from './types.js'
import { findVariableByName, substituteVariables } from './variables.js'

export type Comparison = { id?: string; variableId?: string; comparisonOperator?: string; value?: string }
export type Condition = { logicalOperator?: 'AND' | 'OR'; comparisons?: Comparison[] }

/**
 * `report` receives problems worth a log line (an invalid regular expression): Typebot answers
 * 500 there; we treat the comparison as not satisfied and tell the flow author instead.
 */
export function evaluateCondition(
  condition: Condition | undefined,
  variables: Variable[],
  env: EngineEnv,
  report?: (log: ChatLog) => void,
): boolean {
  const comparisons = condition?.comparisons ?? []
  if (comparisons.length === 0) return false
  const check = (comparison: Comparison) => evaluateComparison(comparison, variables, env, report)
  return condition?.logicalOperator === 'OR' ? comparisons.some(check) : comparisons.every(check)
}

type Operand = string | (string | null)[] | null

function evaluateComparison(comparison: Comparison, variables: Variable[], env: EngineEnv, report?: (log: ChatLog) => void): boolean {
  const { variableId, comparisonOperator } = comparison
  if (!variableId || !comparisonOperator) return false
  const left = toOperand(variables.find((variable) => variable.id === variableId)?.value)
  const right = rightOperandOf(comparison.value, variables, env)

  switch (comparisonOperator) {
    case 'Equal to':
      return pairwise(left, right, 'every', isEqual)
    case 'Not equal':
      return pairwise(left, right, 'every', (a, b) => !isEqual(a, b))
    case 'Contains':
      if (isEmpty(right)) return false
      if (Array.isArray(left)) return pairwise(left, right, 'some', isEqual)
      return pairwise(left, right, 'some', (a, b) => a !== null && b !== null && includesText(a, b))
    case 'Does not contain':
      if (isEmpty(right) || isEmpty(left)) return true
      if (Array.isArray(left)) return !pairwise(left, right, 'some', isEqual)
      return pairwise(left, right, 'every', (a, b) => a === null || b === null || !includesText(a, b))
    case 'Greater than':
      return compareMagnitudes(left, right, (a, b) => a > b)
    case 'Less than':
      return compareMagnitudes(left, right, (a, b) => a < b)
    case 'Greater or equal to':
      return compareMagnitudes(left, right, (a, b) => a >= b)
    case 'Less or equal to':
      return compareMagnitudes(left, right, (a, b) => a <= b)
    case 'Is set':
      return left !== null && left.length > 0
    case 'Is empty':
      return left === null || left.length === 0
    case 'Starts with':
      return pairwise(
        left,
        right,
        'every',
        filled((a, b) => a.trim().toLowerCase().startsWith(b.trim().toLowerCase())),
      )
    case 'Ends with':
      return pairwise(
        left,
        right,
        'every',
        filled((a, b) => a.trim().toLowerCase().endsWith(b.trim().toLowerCase())),
      )
    case 'Matches regex':
      return pairwise(
        left,
        right,
        'some',
        filled((a, b) => testRegex(b, a) === true),
      )
    case 'Does not match regex':
      return pairwise(
        left,
        right,
        'every',
        filled((a, b) => {
          const matches = testRegex(b, a)
          if (matches === undefined) {
            report?.({ status: 'error', description: 'Invalid regular expression in condition', details: b })
            return false
          }
          return !matches
        }),
      )
    default:
      return false
  }
}

function toOperand(value: VariableValue | undefined): Operand {
  return value === undefined ? null : value
}

function rightOperandOf(value: string | undefined, variables: Variable[], env: EngineEnv): Operand {
  if (value === 'undefined' || value === 'null') return null
  const single = /^\{\{([^{}]+)\}\}$/.exec(value ?? '')
  if (single) {
    const variable = findVariableByName(variables, single[1]!)
    if (variable?.value !== undefined && variable.value !== null) return variable.value
  }
  return substituteVariables(value ?? '', variables, env)
}

/** Applies a string predicate across lists: every/some element (or pair) must satisfy it. */
function pairwise(
  left: Operand,
  right: Operand,
  mode: 'every' | 'some',
  predicate: (a: string | null, b: string | null) => boolean,
): boolean {
  // An empty list counts as one missing value, so that "every" is never vacuously true.
  const lefts = Array.isArray(left) && left.length > 0 ? left : [Array.isArray(left) ? null : left]
  const rights = Array.isArray(right) && right.length > 0 ? right : [Array.isArray(right) ? null : right]
  const pairs = lefts.flatMap((a) => rights.map((b) => [a, b] as const))
  return mode === 'every' ? pairs.every(([a, b]) => predicate(a, b)) : pairs.some(([a, b]) => predicate(a, b))
}

function isEqual(a: string | null, b: string | null): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.normalize() === b.normalize()
  return a === b
}

function includesText(haystack: string, needle: string): boolean {
  return haystack.trim().toLowerCase().includes(needle.trim().toLowerCase())
}

/** A predicate that is false unless both sides are non-empty strings. */
function filled(predicate: (a: string, b: string) => boolean) {
  return (a: string | null, b: string | null) => a !== null && b !== null && a !== '' && b !== '' && predicate(a, b)
}

function isEmpty(value: Operand): boolean {
  return value === null || value.length === 0
}

function compareMagnitudes(left: Operand, right: Operand, compare: (a: number, b: number) => boolean): boolean {
  if (left === null || right === null) return false
  if (typeof left === 'string' && typeof right === 'string') return compare(magnitudeOf(left), magnitudeOf(right))
  const toNumber = (operand: string | (string | null)[]) => (typeof operand === 'string' ? Number(operand) : operand.length)
  return compare(toNumber(left), toNumber(right))
}

/** A number when it reads as one (a leading `+` does not), else a date, else the text length. */
function magnitudeOf(text: string): number {
  if (!text.startsWith('+')) {
    const number = Number(text)
    if (!Number.isNaN(number)) return number
  }
  const timestamp = Date.parse(text)
  return Number.isNaN(timestamp) ? text.length : timestamp
}

/** undefined when the pattern is not a valid regular expression. */
function testRegex(pattern: string, text: string): boolean | undefined {
  const literal = /^\/(.*)\/([gimuy]*)$/s.exec(pattern)
  try {
    const regex = literal ? new RegExp(literal[1]!, literal[2]) : new RegExp(pattern)
    return regex.test(text)
  } catch {
    return undefined
  }
}
