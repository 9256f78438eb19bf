/**
 * Variable values and `{{Name}}` substitution (docs/runtime.md §5).
 */
import { parseUserJson } from '../json-record.js'
import { runCode } from './run-code.js'
import { hasInlineCode, scanTemplate } from './template-scanner.js'
import type { Effectful, Variable, VariableValue } from './types.js'

export type SubstitutionMode = 'text' | 'json' | 'html' | 'id'

/** `{{Name}}`; it also covers the `${{{Name}}}` template-literal form, whose `$` is kept as text. */
const variableReferencePattern = /\{\{([^{}]+)\}\}/g

/** §5.1: any JSON value -> what a variable may hold (strings, lists of strings/null, null). */
export function normalizeValue(value: unknown): VariableValue {
  if (Array.isArray(value)) return value.map((element) => normalizeScalar(element))
  const normalized = normalizeScalar(value)
  return normalized === '' ? null : normalized
}

function normalizeScalar(value: unknown): string | null {
  if (value === null || value === undefined) return null
  if (typeof value === 'string') return sanitizeString(value)
  const json = safeJsonStringify(value)
  return json === undefined ? null : sanitizeString(json)
}

const unpairedSurrogatePattern = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g
// Backslashes that do not start a JSON-ish escape are doubled so stored text survives re-parsing.
const loneBackslashPattern = /\\(?![\\ntbrf"'u])/g

function sanitizeString(text: string): string {
  return text.replace(unpairedSurrogatePattern, '\uFFFD').replace(loneBackslashPattern, '\\\\')
}

// Never throws: a value too deep for JSON.stringify (and for String) is no value at all.
function safeJsonStringify(value: unknown): string | undefined {
  try {
    return JSON.stringify(value)
  } catch {
    try {
      return String(value)
    } catch {
      return undefined
    }
  }
}

export type SubstitutionOptions = { mode?: SubstitutionMode; takeLatestIfList?: boolean }

/**
 * §5.2/5.3: replaces `{{Name}}`, `${{{Name}}}` and `{{= code =}}` in a string. Inline code runs in
 * the shell's sandbox (a `runCode` effect); a text without `{{=` never yields.
 */
export function* substituteVariables(
  text: string | undefined,
  variables: Variable[],
  options: SubstitutionOptions = {},
): Effectful<string> {
  if (!text) return ''
  const withCodeEvaluated = hasInlineCode(text) ? yield* evaluateInlineCodes(text, variables) : text
  return replaceReferences(withCodeEvaluated, variables, options)
}

/** `{{Name}}` references only, for texts that cannot hold code (or whose code already ran). */
export function replaceReferences(text: string, variables: Variable[], options: SubstitutionOptions = {}): string {
  const mode = options.mode ?? 'text'
  const takeLatestIfList = options.takeLatestIfList ?? false
  return text.replace(variableReferencePattern, (_match, name: string) => formatReference(name, variables, mode, takeLatestIfList))
}

function* evaluateInlineCodes(text: string, variables: Variable[]): Effectful<string> {
  let output = ''
  let cursor = 0
  for (const match of scanTemplate(text, 'code')) {
    if (match.kind !== 'code') continue
    output += text.slice(cursor, match.start)
    output += formatInlineCodeResultAsText(yield* evaluateInlineCode(match.code, variables))
    cursor = match.end
  }
  return output + text.slice(cursor)
}

function formatReference(name: string, variables: Variable[], mode: SubstitutionMode, takeLatestIfList: boolean): string {
  if (mode === 'id') return variables.find((variable) => variable.name === name)?.id ?? ''
  const value = variables.find((variable) => variable.name === name && hasValue(variable.value))?.value
  if (value === null || value === undefined) return ''
  if (mode === 'json') return typeof value === 'string' ? JSON.stringify(value).slice(1, -1) : JSON.stringify(value)
  const text = stringifyValue(value, takeLatestIfList)
  return mode === 'html' ? text.replace(/</g, '&lt;').replace(/>/g, '&gt;') : text
}

/** A value as text shows it: lists as JSON, or their last element for pre-v6 text bubbles. */
export function stringifyValue(value: VariableValue | undefined, takeLatestIfList = false): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value
  if (takeLatestIfList) return value.at(-1) ?? ''
  return JSON.stringify(value)
}

export type InlineCodeResult = { ok: true; value: unknown } | { ok: false; fallbackText: string }

/**
 * §5.3: runs the body of a `{{= ... =}}` with every variable bound by id to its guessed value.
 * On error the caller uses the body with variables substituted as plain text.
 */
export function* evaluateInlineCode(code: string, variables: Variable[]): Effectful<InlineCodeResult> {
  const body = yield* substituteVariables(code, variables, { mode: 'id' })
  const result = yield* runCode(body.includes('return ') ? body : `return ${body}`, codeGlobalsOf(body, variables))
  if (result.ok) return { ok: true, value: result.value }
  return { ok: false, fallbackText: yield* substituteVariables(code, variables) }
}

/**
 * The variables as code sees them: a global named by id holding the guessed value (§5.4). Only
 * the ids the code mentions are bound: code names variables by id once `{{Name}}` is substituted,
 * and an unused large value need not be copied into the sandbox.
 */
export function codeGlobalsOf(code: string, variables: Variable[]): Record<string, unknown> {
  const globals: Record<string, unknown> = {}
  for (const variable of variables) {
    if (!(variable.id in globals) && code.includes(variable.id)) globals[variable.id] = guessValueType(variable.value)
  }
  return globals
}

// Plain-text substitution prints null/undefined results literally (a Typebot quirk, §5.3).
function formatInlineCodeResultAsText(result: InlineCodeResult): string {
  if (!result.ok) return result.fallbackText
  if (result.value === undefined) return 'undefined'
  if (typeof result.value === 'string') return result.value
  return safeJsonStringify(result.value) ?? String(result.value)
}

/** Inside text bubbles an inline-code result of null or undefined shows nothing. */
export function formatInlineCodeResultForBubble(result: InlineCodeResult, takeLatestIfList = false): string {
  if (!result.ok) return result.fallbackText
  const value = takeLatestIfList && Array.isArray(result.value) ? result.value.at(-1) : result.value
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value
  return safeJsonStringify(value) ?? ''
}

/** §5.4: a stored value as code sees it ("12" -> 12, "true" -> true, "0612" stays a string). */
export function guessValueType(value: VariableValue | undefined): unknown {
  if (value === null) return null
  if (value === undefined) return undefined
  if (Array.isArray(value)) return value
  if (value.startsWith('0') && !value.startsWith('0.') && value.length > 1) return value
  if (value.startsWith('+')) return value
  if (value === 'true') return true
  if (value === 'false') return false
  if (value === 'null') return null
  if (value === 'undefined') return undefined
  const asNumber = Number(value)
  return Number.isNaN(asNumber) ? value : asNumber
}

type DeepOptions = { guessTypes?: boolean; removeEmptyStrings?: boolean }

/** §5.5: substitutes every string at any depth of a plain object or array. */
export function* substituteDeep<T>(value: T, variables: Variable[], options: DeepOptions = {}): Effectful<T> {
  return (yield* substituteUnknown(value, variables, options)) as T
}

function* substituteUnknown(value: unknown, variables: Variable[], options: DeepOptions): Effectful<unknown> {
  if (typeof value === 'string') {
    const substituted = yield* substituteVariables(value, variables)
    return options.guessTypes ? parseGuessedJson(substituted) : substituted
  }
  if (Array.isArray(value)) {
    const elements: unknown[] = []
    for (const element of value) elements.push(yield* substituteUnknown(element, variables, options))
    return elements
  }
  if (!isPlainObject(value)) return value
  const result: Record<string, unknown> = {}
  for (const [key, property] of Object.entries(value)) {
    if (typeof property === 'string') {
      const substituted = yield* substituteVariables(property, variables)
      if (options.removeEmptyStrings && substituted === '') continue
      const parsed = options.guessTypes ? parseGuessedJson(substituted) : substituted
      if (parsed !== undefined) result[key] = parsed
      continue
    }
    result[key] = yield* substituteUnknown(property, variables, options)
  }
  return result
}

function parseGuessedJson(text: string): unknown {
  if (text === 'undefined') return undefined
  const parsed = parseUserJson(text)
  return parsed === undefined ? text : parsed.value
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const prototype: unknown = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}

/** The first variable with that name that has a value (§5.2), else the first with that name. */
export function findVariableByName(variables: Variable[], name: string): Variable | undefined {
  return (
    variables.find((variable) => variable.name === name && hasValue(variable.value)) ?? variables.find((variable) => variable.name === name)
  )
}

/** The variable when `text` is exactly one `{{Name}}` reference, e.g. a dynamic-items field. */
export function findSingleReferencedVariable(text: string | null | undefined, variables: Variable[]): Variable | undefined {
  const match = text?.match(/^\{\{([^{}]+)\}\}$/)
  return match ? variables.find((variable) => variable.name === match[1]) : undefined
}

export function hasValue(value: VariableValue | undefined): value is string | (string | null)[] {
  return value !== null && value !== undefined
}
