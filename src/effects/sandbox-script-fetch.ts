/**
 * The `fetch(url, init)` of server scripts: each call asks the main thread for a request (made
 * by the SSRF-checked performer there) and returns a promise inside QuickJS. Completions are queued and only
 * delivered into the VM by the sandbox's run loop, never from a stray callback.
 */
import type { QuickJSContext, QuickJSDeferredPromise, QuickJSHandle } from 'quickjs-emscripten'
import type { HttpRequestSpec, HttpResponseResult } from '../engine/types.js'
import { isRecord } from '../json-record.js'

/** Performs a request for a server script; expected to apply the SSRF policy. */
export type ScriptFetch = (request: HttpRequestSpec) => Promise<HttpResponseResult>

// Bounds the outgoing traffic one script can cause (the deadline bounds its duration).
const MAX_FETCHES_PER_SCRIPT = 50

export type ScriptFetches = {
  start(url: string, initJson: string): QuickJSHandle
  inFlight(): number
  /** Resolves true when a fetch completed, false when the deadline passed first. */
  waitForCompletion(deadline: number): Promise<boolean>
  /** Settles the script's promises of the completed fetches (in the VM, from the run loop). */
  deliverCompleted(): void
  abandon(): void
}

export function createScriptFetches(context: QuickJSContext, fetch: ScriptFetch, deadline: number): ScriptFetches {
  type Completion = { deferred: QuickJSDeferredPromise; response: HttpResponseResult }
  let inFlight = 0
  let startedCount = 0
  const completed: Completion[] = []
  const pending = new Set<QuickJSDeferredPromise>()
  let wake: (() => void) | undefined

  return {
    start(url, initJson) {
      // Thrown here, this becomes an exception inside the script.
      if (++startedCount > MAX_FETCHES_PER_SCRIPT) throw new Error(`A script may call fetch at most ${MAX_FETCHES_PER_SCRIPT} times`)
      const deferred = context.newPromise()
      pending.add(deferred)
      inFlight++
      const request = toRequestSpec(url, initJson, Math.max(1, deadline - Date.now()))
      fetch(request)
        .catch((error: unknown): HttpResponseResult => ({ statusCode: 500, data: null, error: describeHostError(error) }))
        .then((response) => {
          inFlight--
          completed.push({ deferred, response })
          wake?.()
        })
      return deferred.handle
    },
    inFlight: () => inFlight + completed.length,
    waitForCompletion(deadline) {
      if (completed.length > 0) return Promise.resolve(true)
      return new Promise((resolve) => {
        const timer = setTimeout(() => finish(false), Math.max(0, deadline - Date.now()))
        const finish = (isOnTime: boolean) => {
          clearTimeout(timer)
          wake = undefined
          resolve(isOnTime)
        }
        wake = () => finish(true)
      })
    },
    deliverCompleted() {
      for (const { deferred, response } of completed.splice(0)) {
        pending.delete(deferred)
        if (response.error !== undefined) {
          const error = context.newError(response.error)
          deferred.reject(error)
          error.dispose()
        } else {
          const text = context.newString(
            response.text ?? (typeof response.data === 'string' ? response.data : (JSON.stringify(response.data) ?? '')),
          )
          deferred.resolve(text)
          text.dispose()
        }
        deferred.dispose()
      }
    },
    abandon() {
      wake = undefined
      completed.splice(0)
      for (const deferred of pending) deferred.dispose()
      pending.clear()
    },
  }
}

/** `fetch(url, init)` as scripts call it: `init` may hold method, headers and body. */
function toRequestSpec(url: string, initJson: string, timeoutMs: number): HttpRequestSpec {
  const init: unknown = JSON.parse(initJson)
  const fields = isRecord(init) ? init : {}
  const headers: Record<string, string> = {}
  const rawHeaders = fields.headers
  if (Array.isArray(rawHeaders)) {
    for (const pair of rawHeaders) if (Array.isArray(pair) && pair.length === 2) headers[String(pair[0])] = String(pair[1])
  } else if (isRecord(rawHeaders)) {
    for (const [key, value] of Object.entries(rawHeaders)) headers[key] = String(value)
  }
  const body =
    fields.body === undefined || fields.body === null
      ? undefined
      : typeof fields.body === 'string'
        ? fields.body
        : JSON.stringify(fields.body)
  const method = typeof fields.method === 'string' ? fields.method.toUpperCase() : 'GET'
  return { url, method, headers, body, timeoutMs }
}

export function describeHostError(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
