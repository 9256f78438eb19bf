/**
 * Variable values and `{{Name}}` substitution (docs/runtime.md §5).
 */
import type { EngineEnv, Variable, VariableValue } from './types.js'

export type SubstitutionMode = 'text' | 'json' | 'html' | 'id'

/** `{{= code =}}`, on one line, shortest body first. */
const inlineCodePattern = /\{\{=(.+?)=\}\}/g
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

function safeJsonStringify(value: unknown): string | undefined {
  try {
    return JSON.stringify(value)
  } catch {
    return String(value)
  }
}

/** §5.2/5.3: replaces `{{Name}}`, `${{{Name}}}` and `{{= code =}}` in a string. */
export function substituteVariables(
  text: string | undefined,
  variables: Variable[],
  env: EngineEnv,
  options: { mode?: SubstitutionMode; takeLatestIfList?: boolean } = {},
): string {
  if (!text) return ''
  const mode = options.mode ?? 'text'
  const withCodeEvaluated = text.replace(inlineCodePattern, (_match, code: string) =>
    formatInlineCodeResultAsText(evaluateInlineCode(code, variables, env)),
  )
  return withCodeEvaluated.replace(variableReferencePattern, (_match, name: string) =>
    formatReference(name, variables, mode, options.takeLatestIfList ?? false),
  )
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
export function evaluateInlineCode(code: string, variables: Variable[], env: EngineEnv): InlineCodeResult {
  const body = substituteVariables(code, variables, env, { mode: 'id' })
  const globals: Record<string, unknown> = {}
  for (const variable of variables) {
    if (!(variable.id in globals)) globals[variable.id] = guessValueType(variable.value)
  }
  const result = env.runCode(body.includes('return ') ? body : `return ${body}`, globals)
  if (result.ok) return { ok: true, value: result.value }
  return { ok: false, fallbackText: substituteVariables(code, variables, env) }
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

/** §5.5: substitutes every string at any depth of a plain object or array. */
export function substituteDeep<T>(
  value: T,
  variables: Variable[],
  env: EngineEnv,
  options: { guessTypes?: boolean; removeEmptyStrings?: boolean } = {},
): T {
  return substituteUnknown(value, variables, env, options) as T
}

function substituteUnknown(
  value: unknown,
  variables: Variable[],
  env: EngineEnv,
  options: { guessTypes?: boolean; removeEmptyStrings?: boolean },
): unknown {
  if (typeof value === 'string') {
    const substituted = substituteVariables(value, variables, env)
    return options.guessTypes ? parseGuessedJson(substituted) : substituted
  }
  if (Array.isArray(value)) return value.map((element) => substituteUnknown(element, variables, env, options))
  if (!isPlainObject(value)) return value
  const result: Record<string, unknown> = {}
  for (const [key, property] of Object.entries(value)) {
    if (typeof property === 'string') {
      const substituted = substituteVariables(property, variables, env)
      if (options.removeEmptyStrings && substituted === '') continue
      const parsed = options.guessTypes ? parseGuessedJson(substituted) : substituted
      if (parsed !== undefined) result[key] = parsed
      continue
    }
    result[key] = substituteUnknown(property, variables, env, options)
  }
  return result
}

function parseGuessedJson(text: string): unknown {
  if (text === 'undefined') return undefined
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
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
