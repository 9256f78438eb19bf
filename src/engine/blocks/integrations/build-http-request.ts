import { isRecord } from '../../../json-record.js'
import type { HttpRequestBlock } from '../../../schemas/blocks/integrations.js'
import type { BlockContext } from '../../block-handler.js'
import type { Effectful, HttpRequestSpec } from '../../types.js'
import { hasValue, substituteVariables } from '../../variables.js'
import { encodeBase64 } from './base64.js'
import { parseJsonText } from './json-text.js'

export type BuiltHttpRequest = {
  /** What the server sends. */
  request: HttpRequestSpec
  /** The body as a client executing the request receives it: parsed JSON, else the text. */
  clientBody?: unknown
  /** The request as logs show it: never the headers, which often hold credentials. */
  loggedRequest: { url: string; method: string; body?: unknown }
}

export type WebhookOptions = NonNullable<NonNullable<HttpRequestBlock['options']>['webhook']>

const LONG_TIMEOUT_SECONDS = 120
// Typebot's editor default: a block left at 10 s gets its type's default (120 s for slow services).
const EDITOR_DEFAULT_TIMEOUT_SECONDS = 10
const SLOW_BLOCK_TYPES = new Set(['Zapier', 'Make.com', 'Pabbly'])
const SLOW_URL_PREFIXES = [
  'https://api.openai.com',
  'https://retune.so',
  'https://www.chatbase.co',
  'https://channel-connector.orimon.ai',
  'https://api.anthropic.com',
]

/**
 * §7.1.2: URL with query string, headers (Basic credentials encoded), and for methods that carry
 * one, the body (custom or the default answers-and-variables payload) substituted in JSON mode.
 * undefined when the block has no URL.
 */
export function* buildHttpRequest(
  block: HttpRequestBlock,
  webhook: WebhookOptions,
  ctx: BlockContext,
): Effectful<BuiltHttpRequest | undefined> {
  if (!webhook.url) return undefined
  const { variables } = ctx
  const method = (webhook.method || 'POST').toUpperCase()
  const query = yield* toQueryString(webhook.queryParams, ctx)
  const baseUrl = yield* substituteVariables(webhook.url, variables)
  const url = query === '' ? baseUrl : `${baseUrl}${baseUrl.includes('?') ? '&' : '?'}${query}`
  const headers = yield* toHeaders(webhook.headers, ctx)
  const timeoutMs = toTimeoutMs(block, url)
  const withTimeout = timeoutMs === undefined ? {} : { timeoutMs }

  // Typebot leaves out the body of GET only; a HEAD body is refused by most servers, so not sent.
  if (method === 'GET' || method === 'HEAD') {
    return { request: { url, method, headers, ...withTimeout }, loggedRequest: { url, method } }
  }

  const sourceText =
    block.options?.isCustomBody === true && webhook.body && webhook.body.trim() !== '{{state}}' ? webhook.body : defaultBodyText(ctx)
  // A body that is one reference is the variable's own text (often JSON already): not escaped.
  const isSingleReference = /^\{\{[^{}]+\}\}$/.test(sourceText.trim())
  const text = yield* substituteVariables(sourceText, variables, { mode: isSingleReference ? 'text' : 'json' })
  const json = parseJsonText(text)
  const body = json === undefined ? text : encodeJsonBody(json.value, json.compactText, headers)
  if (json !== undefined && !hasHeader(headers, 'content-type')) headers['Content-Type'] = 'application/json'
  const clientBody = json === undefined ? text : json.value
  return {
    request: { url, method, headers, body, ...withTimeout },
    clientBody,
    loggedRequest: { url, method, body: clientBody },
  }
}

/** §7.1.4: JSON goes as JSON, or as form fields when `Content-Type` (that exact key) says so. */
function encodeJsonBody(value: unknown, compactText: string, headers: Record<string, string>): string {
  if (!headers['Content-Type']?.includes('x-www-form-urlencoded') || !isRecord(value)) return compactText
  return Object.entries(value)
    .map(([key, field]) => `${encodeURIComponent(key)}=${encodeURIComponent(formFieldText(field))}`)
    .join('&')
}

function formFieldText(value: unknown): string {
  if (typeof value === 'string') return value
  if (typeof value === 'object' && value !== null) return JSON.stringify(value)
  return String(value)
}

/** `{submittedAt, <answer key>: <answer>..., <variable name>: <value>...}`, variables winning. */
function defaultBodyText(ctx: BlockContext): string {
  const fields = new Map<string, string>([['submittedAt', new Date(ctx.env.now()).toISOString()]])
  for (const answer of ctx.state.typebotsQueue[0]?.answers ?? []) fields.set(answer.key, answer.value)
  for (const variable of ctx.variables) {
    if (hasValue(variable.value)) fields.set(variable.name, String(variable.value))
  }
  return JSON.stringify(Object.fromEntries(fields))
}

type KeyValueRow = { key?: string; value?: string }

function* toQueryString(rows: KeyValueRow[] | undefined, ctx: BlockContext): Effectful<string> {
  return (yield* substitutedPairs(rows, ctx)).map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join('&')
}

function* toHeaders(rows: KeyValueRow[] | undefined, ctx: BlockContext): Effectful<Record<string, string>> {
  const headers: Record<string, string> = {}
  for (const [key, value] of yield* substitutedPairs(rows, ctx)) {
    headers[key] = key.toLowerCase() === 'authorization' ? encodeBasicCredentials(value) : value
  }
  return headers
}

/** `Basic user:password` as typed in the editor becomes the encoded form servers expect. */
function encodeBasicCredentials(value: string): string {
  if (!value.startsWith('Basic ')) return value
  const credentials = value.slice('Basic '.length)
  return credentials.includes(':') ? `Basic ${encodeBase64(credentials)}` : value
}

function* substitutedPairs(rows: KeyValueRow[] | undefined, ctx: BlockContext): Effectful<[string, string][]> {
  const pairs: [string, string][] = []
  for (const row of rows ?? []) {
    const key = yield* substituteVariables(row.key, ctx.variables)
    const value = yield* substituteVariables(row.value, ctx.variables)
    if (key !== '' && value !== '') pairs.push([key, value])
  }
  return pairs
}

/** §7.1.4 step 3; undefined lets the server apply its default. */
function toTimeoutMs(block: HttpRequestBlock, url: string): number | undefined {
  const seconds = block.options?.timeout
  if (seconds !== undefined && seconds !== EDITOR_DEFAULT_TIMEOUT_SECONDS && seconds > 0) {
    return Math.min(seconds, LONG_TIMEOUT_SECONDS) * 1000
  }
  if (SLOW_BLOCK_TYPES.has(block.type) || SLOW_URL_PREFIXES.some((prefix) => url.includes(prefix))) {
    return LONG_TIMEOUT_SECONDS * 1000
  }
  return undefined
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name)
}
