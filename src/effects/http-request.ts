/**
 * Performs the HTTP requests integration blocks ask for (docs/runtime.md §7.1.4). Every hop
 * (the first request and each redirect) goes through the SSRF guard and connects only to the
 * addresses the guard validated. Every outcome is a value: refusals, timeouts and network
 * failures become results with a status code and an `error`, never exceptions.
 */
import type http from 'node:http'
import type { Readable } from 'node:stream'
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib'
import type { HttpRequestSpec, HttpResponseResult } from '../engine/types.js'
import type { OutboundHttpOutcome } from '../metrics/metrics.js'
import { openPinnedRequest } from './pinned-request.js'
import type { ResolvedAddress, SsrfPolicy } from './ssrf-guard.js'
import { checkTarget, findBlockedHeader } from './ssrf-guard.js'

export type HttpRequestOptions = SsrfPolicy & {
  /** Used when the request has no timeout of its own; botflow never sends without one. */
  defaultTimeoutMs: number
  /** Larger bodies fail the request instead of filling the server's memory. */
  maxResponseBytes?: number
  /** Told how each request ended (metrics). */
  observe?: (outcome: OutboundHttpOutcome) => void
  /** false: a redirect is the answer (webhook deliveries), not followed. */
  followsRedirects?: boolean
  /** Ends the request early from outside (a server that stops); the result is a failure saying so. */
  signal?: AbortSignal
}

const MAX_REDIRECTS = 10
const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])
const BODY_HEADERS = ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location', 'transfer-encoding']
const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'host']

type Hop = { url: string; method: string; headers: Record<string, string>; body?: string }
type RawResponse = { statusCode: number; headers: http.IncomingHttpHeaders; text: string }

/** How each request ended, for metrics: results made by `refused`, `timedOut` and `failed` are noted here. */
const outcomes = new WeakMap<HttpResponseResult, OutboundHttpOutcome>()

export async function performHttpRequest(spec: HttpRequestSpec, options: HttpRequestOptions): Promise<HttpResponseResult> {
  const result = await sendFollowingRedirects(spec, options)
  options.observe?.(outcomes.get(result) ?? 'response')
  return result
}

async function sendFollowingRedirects(spec: HttpRequestSpec, options: HttpRequestOptions): Promise<HttpResponseResult> {
  const timeoutMs = spec.timeoutMs ?? options.defaultTimeoutMs
  const abort = new AbortController()
  const timer = setTimeout(() => abort.abort(), timeoutMs)
  const stop = () => abort.abort()
  options.signal?.addEventListener('abort', stop, { once: true })
  if (options.signal?.aborted) stop()
  try {
    return await followRedirects(spec, options, abort.signal)
  } catch (error) {
    if (options.signal?.aborted) return failed(new Error('The request was stopped: the server is shutting down'))
    if (abort.signal.aborted) return timedOut(timeoutMs)
    return failed(error)
  } finally {
    clearTimeout(timer)
    options.signal?.removeEventListener('abort', stop)
  }
}

async function followRedirects(spec: HttpRequestSpec, options: HttpRequestOptions, signal: AbortSignal): Promise<HttpResponseResult> {
  let hop: Hop = { url: spec.url, method: (spec.method || 'POST').toUpperCase(), headers: { ...spec.headers }, body: spec.body }
  for (let redirectCount = 0; ; redirectCount++) {
    const blockedHeader = findBlockedHeader(hop.headers)
    if (blockedHeader !== undefined) return refused(`Header ${blockedHeader} is not allowed`)
    const target = await withAbort(checkTarget(hop.url, options), signal)
    if (target.status === 'refused') return refused(target.reason)
    if (target.status === 'unresolved') return failed(target.error)

    const response = await sendOnce(hop, target.url, target.addresses, signal, options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES)
    const location = firstHeader(response.headers.location)
    if (!REDIRECT_STATUSES.has(response.statusCode) || location === undefined || options.followsRedirects === false)
      return toResult(response)
    if (redirectCount === MAX_REDIRECTS) return failed(new Error(`More than ${MAX_REDIRECTS} redirects`))
    hop = toRedirectHop(hop, target.url, response.statusCode, location)
  }
}

/** Method and header changes of §7.1.4 (the same rules browsers apply). */
function toRedirectHop(previous: Hop, previousUrl: URL, statusCode: number, location: string): Hop {
  const nextUrl = new URL(location, previousUrl)
  let { method, body } = previous
  let headers = { ...previous.headers }
  const switchesToGet =
    ((statusCode === 301 || statusCode === 302) && method === 'POST') || (statusCode === 303 && method !== 'GET' && method !== 'HEAD')
  if (switchesToGet) {
    method = 'GET'
    body = undefined
    headers = withoutHeaders(headers, BODY_HEADERS)
  }
  if (nextUrl.origin !== previousUrl.origin) headers = withoutHeaders(headers, CREDENTIAL_HEADERS)
  return { url: nextUrl.href, method, headers, body }
}

function sendOnce(hop: Hop, url: URL, addresses: ResolvedAddress[], signal: AbortSignal, maxBytes: number): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    // The length is always ours: a wrong one from the block would corrupt the exchange.
    const headers = withoutHeaders(hop.headers, ['content-length'])
    if (hop.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(hop.body))
    const request = openPinnedRequest(url, addresses, { method: hop.method, headers, signal })
    request.on('error', reject)
    request.on('response', (response) => {
      readBody(response, maxBytes).then(
        (text) => resolve({ statusCode: response.statusCode ?? 0, headers: response.headers, text }),
        reject,
      )
    })
    request.end(hop.body)
  })
}

async function readBody(response: http.IncomingMessage, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of decode(response)) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk)
    size += buffer.length
    if (size > maxBytes) {
      response.destroy()
      throw new Error(`Response body is larger than ${maxBytes} bytes`)
    }
    chunks.push(buffer)
  }
  return new TextDecoder().decode(Buffer.concat(chunks))
}

function decode(response: http.IncomingMessage): Readable {
  const encoding = firstHeader(response.headers['content-encoding'])?.trim().toLowerCase()
  if (encoding === 'gzip' || encoding === 'x-gzip') return response.pipe(createGunzip())
  if (encoding === 'deflate') return response.pipe(createInflate())
  if (encoding === 'br') return response.pipe(createBrotliDecompress())
  return response
}

function toResult(response: RawResponse): HttpResponseResult {
  return { statusCode: response.statusCode, data: parseJsonOrText(response.text), text: response.text }
}

function parseJsonOrText(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

function refused(reason: string): HttpResponseResult {
  const message = `Security validation failed: ${reason}`
  return noted({ statusCode: 400, data: { message }, error: message }, 'refused')
}

function timedOut(timeoutMs: number): HttpResponseResult {
  const message = `Request timed out. (${timeoutMs / 1000}s)`
  return noted({ statusCode: 408, data: { message }, error: message }, 'timeout')
}

function failed(error: unknown): HttpResponseResult {
  const message = error instanceof Error ? error.message : String(error)
  const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined
  return noted({ statusCode: 500, data: code === undefined ? { message } : { message, code }, error: message }, 'failed')
}

function noted(result: HttpResponseResult, outcome: OutboundHttpOutcome): HttpResponseResult {
  outcomes.set(result, outcome)
  return result
}

function withAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new Error('aborted'))
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(new Error('aborted'))
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(error)
      },
    )
  })
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

function withoutHeaders(headers: Record<string, string>, names: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([key]) => !names.includes(key.toLowerCase())))
}
