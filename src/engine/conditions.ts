/**
 * Condition evaluation (§4.12), shared by the Condition block and item display conditions.
 */
import { runCode } from './run-code.js'
import type { ChatLog, Effectful, Variable, VariableValue } from './types.js'
import { findVariableByName, substituteVariables } from './variables.js'

export type Comparison = { id?: string; variableId?: string; comparisonOperator?: string; value?: string }
export type Condition = { logicalOperator?: 'AND' | 'OR'; comparisons?: Comparison[] }

/**
 * `report` receives problems worth a log line (an invalid regular expression): Typebot answers
 * 500 there; we treat the comparison as not satisfied and tell the flow author instead.
 */
export function* evaluateCondition(
  condition: Condition | undefined,
  variables: Variable[],
  report?: (log: ChatLog) => void,
): Effectful<boolean> {
  const comparisons = condition?.comparisons ?? []
  if (comparisons.length === 0) return false
  const isAny = condition?.logicalOperator === 'OR'
  // Short-circuits like some/every: later comparisons (and their effects) are not evaluated.
  for (const comparison of comparisons) {
    const holds = yield* evaluateComparison(comparison, variables, report)
    if (holds === isAny) return isAny
  }
  return !isAny
}

type Operand = string | (string | null)[] | null

function* evaluateComparison(comparison: Comparison, variables: Variable[], report?: (log: ChatLog) => void): Effectful<boolean> {
  const { variableId, comparisonOperator } = comparison
  if (!variableId || !comparisonOperator) return false
  const left = toOperand(variables.find((variable) => variable.id === variableId)?.value)
  const right = yield* rightOperandOf(comparison.value, variables)
  if (comparisonOperator === 'Matches regex' || comparisonOperator === 'Does not match regex') {
    return yield* compareWithRegex(comparisonOperator, left, right, report)
  }

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
    default:
      return false
  }
}

function toOperand(value: VariableValue | undefined): Operand {
  return value === undefined ? null : value
}

function* rightOperandOf(value: string | undefined, variables: Variable[]): Effectful<Operand> {
  if (value === 'undefined' || value === 'null') return null
  const single = /^\{\{([^{}]+)\}\}$/.exec(value ?? '')
  if (single) {
    const variable = findVariableByName(variables, single[1]!)
    if (variable?.value !== undefined && variable.value !== null) return variable.value
  }
  return yield* substituteVariables(value ?? '', variables)
}

/**
 * Patterns come from the flow's author or from a variable, texts from users: a pattern that
 * backtracks catastrophically would stall the server, so matching runs in the sandbox, under its
 * time limit, like any other untrusted code.
 */
function* compareWithRegex(
  operator: 'Matches regex' | 'Does not match regex',
  left: Operand,
  right: Operand,
  report?: (log: ChatLog) => void,
): Effectful<boolean> {
  const allPairs = toPairs(left, right)
  const pairs = allPairs.filter((pair): pair is [string, string] => isFilled(pair[0]) && isFilled(pair[1]))
  const isMatching = operator === 'Matches regex'
  // "Does not match" needs every pair filled, "matches" one matching pair (as for the other operators).
  if (pairs.length === 0 || (!isMatching && pairs.length < allPairs.length)) return false
  const tested = yield* testRegexes(pairs)
  if (!tested.ok) {
    report?.({ status: 'error', description: 'Could not test the regular expression of a condition', details: tested.error })
    return false
  }
  if (isMatching) return tested.results.some((result) => result === true)
  for (const [index, result] of tested.results.entries()) {
    if (result === undefined) {
      report?.({ status: 'error', description: 'Invalid regular expression in condition', details: pairs[index]?.[1] })
      return false
    }
    if (result) return false
  }
  return true
}

type RegexTests = { ok: true; results: (boolean | undefined)[] } | { ok: false; error: string }

/** Tests each [text, pattern] pair in one sandbox call; a result is undefined for an invalid pattern. */
function* testRegexes(pairs: [string, string][]): Effectful<RegexTests> {
  const tests = pairs.map(([text, pattern]) => {
    const literal = /^\/(.*)\/([gimuy]*)$/s.exec(pattern)
    return literal ? { text, source: literal[1] ?? '', flags: literal[2] ?? '' } : { text, source: pattern, flags: '' }
  })
  const code = `return tests.map(function (test) {
    try { return new RegExp(test.source, test.flags).test(test.text) } catch (error) { return null }
  })`
  const result = yield* runCode(code, { tests })
  if (!result.ok) return { ok: false, error: result.error }
  const values: unknown[] = Array.isArray(result.value) ? result.value : []
  return { ok: true, results: pairs.map((_pair, index) => (typeof values[index] === 'boolean' ? values[index] : undefined)) }
}

// An empty list counts as one missing value, so that "every" is never vacuously true.
function toPairs(left: Operand, right: Operand): [string | null, string | null][] {
  const lefts = Array.isArray(left) && left.length > 0 ? left : [Array.isArray(left) ? null : left]
  const rights = Array.isArray(right) && right.length > 0 ? right : [Array.isArray(right) ? null : right]
  return lefts.flatMap((a) => rights.map((b): [string | null, string | null] => [a, b]))
}

function isFilled(text: string | null): text is string {
  return text !== null && text !== ''
}

/** Applies a string predicate across lists: every/some element (or pair) must satisfy it. */
function pairwise(
  left: Operand,
  right: Operand,
  mode: 'every' | 'some',
  predicate: (a: string | null, b: string | null) => boolean,
): boolean {
  const pairs = toPairs(left, right)
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
