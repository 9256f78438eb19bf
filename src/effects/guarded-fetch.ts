/**
 * A `fetch` for libraries that take one (the AI SDK): every request goes through the SSRF guard
 * and connects only to the addresses the guard validated, like the HTTP request block. The
 * timeout is an inactivity limit (waiting for the response, then between body chunks), so a long
 * streamed answer is not cut while it flows; a ceiling bounds the whole exchange anyway.
 * Failures throw `GuardedFetchError`s, which callers such as the AI SDK do not retry.
 */
import type http from 'node:http'
import { openPinnedRequest } from './pinned-request.js'
import { checkTarget, findBlockedHeader, type ResolvedAddress, type SsrfPolicy } from './ssrf-guard.js'

export type GuardedFetchOptions = SsrfPolicy & {
  /** Longest silence: before the response headers, then between two chunks of the body. */
  idleTimeoutMs: number
  /** Longest exchange, however lively. */
  maxDurationMs?: number
  maxResponseBytes?: number
}

export class GuardedFetchError extends Error {
  override readonly name = 'GuardedFetchError'
}

const DEFAULT_MAX_DURATION_MS = 5 * 60_000
const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304])
// Ours to set (length), or asking for encodings this client does not decode.
const DROPPED_REQUEST_HEADERS = new Set(['content-length', 'accept-encoding', 'connection', 'keep-alive', 'transfer-encoding', 'host'])

export function createGuardedFetch(options: GuardedFetchOptions): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init)
    const headers: Record<string, string> = {}
    request.headers.forEach((value, name) => {
      if (!DROPPED_REQUEST_HEADERS.has(name)) headers[name] = value
    })
    const blockedHeader = findBlockedHeader(headers)
    if (blockedHeader !== undefined) throw new GuardedFetchError(`Security validation failed: Header ${blockedHeader} is not allowed`)
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined
    const target = await checkTarget(request.url, options)
    if (target.status === 'refused') throw new GuardedFetchError(`Security validation failed: ${target.reason}`)
    if (target.status === 'unresolved') throw new GuardedFetchError(target.error.message)
    return send(
      { method: request.method, url: target.url, headers, body, addresses: target.addresses, signal: init?.signal ?? undefined },
      options,
    )
  }
}

type Outgoing = {
  method: string
  url: URL
  headers: Record<string, string>
  body: Buffer | undefined
  addresses: ResolvedAddress[]
  signal: AbortSignal | undefined
}

function send(outgoing: Outgoing, options: GuardedFetchOptions): Promise<Response> {
  const { url, signal } = outgoing
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES
  return new Promise((resolve, reject) => {
    let onFailure: (error: Error) => void = reject
    let request: http.ClientRequest | undefined
    let idleTimer: NodeJS.Timeout | undefined
    const ceilingTimer = setTimeout(
      () => fail(new GuardedFetchError(`Request took longer than ${(options.maxDurationMs ?? DEFAULT_MAX_DURATION_MS) / 1000}s`)),
      options.maxDurationMs ?? DEFAULT_MAX_DURATION_MS,
    )
    const stopTimers = () => {
      clearTimeout(idleTimer)
      clearTimeout(ceilingTimer)
      signal?.removeEventListener('abort', onAbort)
    }
    const armIdleTimer = () => {
      clearTimeout(idleTimer)
      idleTimer = setTimeout(
        () => fail(new GuardedFetchError(`Request timed out. (${options.idleTimeoutMs / 1000}s)`)),
        options.idleTimeoutMs,
      )
    }
    let isSettled = false
    const fail = (error: Error) => {
      if (isSettled) return
      isSettled = true
      stopTimers()
      onFailure(error)
      request?.destroy()
    }
    const onAbort = () => fail(signal?.reason instanceof Error ? signal.reason : new DOMException('The request was aborted', 'AbortError'))
    if (signal?.aborted) return onAbort()
    signal?.addEventListener('abort', onAbort, { once: true })

    const headers = { ...outgoing.headers, ...(outgoing.body ? { 'content-length': String(outgoing.body.length) } : {}) }
    request = openPinnedRequest(url, outgoing.addresses, { method: outgoing.method, headers })
    armIdleTimer()
    request.on('error', (error) => fail(new GuardedFetchError(error.message)))
    request.on('response', (response) => {
      armIdleTimer()
      let size = 0
      const responseHeaders = new Headers()
      for (const [name, value] of Object.entries(response.headers)) {
        if (value !== undefined) responseHeaders.set(name, Array.isArray(value) ? value.join(', ') : value)
      }
      const status = response.statusCode ?? 500
      const body = NULL_BODY_STATUSES.has(status)
        ? null
        : new ReadableStream<Uint8Array>({
            start(controller) {
              onFailure = (error) => controller.error(error)
              response.on('data', (chunk: Buffer) => {
                if (isSettled) return
                size += chunk.length
                if (size > maxBytes) return fail(new GuardedFetchError(`Response body is larger than ${maxBytes} bytes`))
                armIdleTimer()
                controller.enqueue(new Uint8Array(chunk))
              })
              response.on('end', () => {
                if (isSettled) return
                isSettled = true
                stopTimers()
                controller.close()
              })
              response.on('error', (error) => fail(new GuardedFetchError(error.message)))
            },
            cancel() {
              isSettled = true
              stopTimers()
              request?.destroy()
            },
          })
      if (body === null) {
        isSettled = true
        stopTimers()
        response.resume()
      }
      resolve(new Response(body, { status, statusText: response.statusMessage ?? '', headers: responseHeaders }))
    })
    request.end(outgoing.body)
  })
}
