/**
 * The JavaScript sandbox for untrusted flow code (Set variable expressions, inline `{{= =}}`,
 * response mappings, regex conditions, server-side Code blocks). Code runs in QuickJS compiled
 * to WebAssembly, in worker threads (see sandbox-pool.ts), so it behaves the same on every Node
 * version, shares nothing with the host and never holds up the main thread: no `process`,
 * `require`, file system or network, apart from the SSRF-checked `fetch` handed to server scripts.
 */

import type { CodeResult, EffectResult } from '../engine/types.js'
import { parseUserJson } from '../json-record.js'
import { createSandboxPool, type SandboxEvent } from './sandbox-pool.js'
import type { GlobalsText, WorkerResult } from './sandbox-protocol.js'
import { describeHostError, type ScriptFetch } from './sandbox-script-fetch.js'

export type SandboxOptions = {
  /** Worker threads running code at the same time. */
  workers?: number
  /** Time limit of one call. */
  timeoutMs?: number
  /** Memory of the code (the QuickJS heap of each worker). */
  memoryLimitBytes?: number
  /** Largest result, or all `setVariable` values of one script together (JSON characters). */
  maxTransferChars?: number
  /** Calls waiting per worker before new ones are refused as busy. */
  queuePerWorker?: number
  onEvent?: (event: SandboxEvent) => void
}

export type { SandboxEvent, ScriptFetch }

export type ServerScriptResult = Extract<EffectResult, { type: 'runServerScript' }>

/** `deadline`: an absolute time (the turn's budget) past which the call does not start or go on. */
export type CallOptions = { deadline?: number }

export type Sandbox = {
  /** Runs `code` as a function body with `globals` bound by name. */
  runCode(code: string, globals: Record<string, unknown>, options?: CallOptions): Promise<CodeResult>
  /** Runs a server-side Code block: `setVariable(name, value)` and `fetch(url, init)` exist. */
  runServerScript(
    content: string,
    variables: { id: string; name: string; value: unknown }[],
    options: CallOptions & { fetch: ScriptFetch },
  ): Promise<ServerScriptResult>
  close(): Promise<void>
}

const DEFAULT_TIMEOUT_MS = 10_000
const DEFAULT_MEMORY_LIMIT_BYTES = 64 * 1024 * 1024
const DEFAULT_MAX_TRANSFER_CHARS = 16 * 1024 * 1024
const DEFAULT_QUEUE_PER_WORKER = 100

/** Creates the pool; workers start with the first call. */
export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const pool = createSandboxPool({
    workers: options.workers ?? 2,
    memoryBytes: options.memoryLimitBytes ?? DEFAULT_MEMORY_LIMIT_BYTES,
    maxTransferChars: options.maxTransferChars ?? DEFAULT_MAX_TRANSFER_CHARS,
    queuePerWorker: options.queuePerWorker ?? DEFAULT_QUEUE_PER_WORKER,
    onEvent: options.onEvent,
  })
  return {
    async runCode(code, globals, callOptions = {}) {
      const globalsText = toGlobalsText(globals)
      if (typeof globalsText === 'string') return { ok: false, error: globalsText }
      const result = await pool.run({ type: 'runCode', code, globals: globalsText, timeoutMs, deadline: callOptions.deadline })
      return toCodeResult(result)
    },
    async runServerScript(content, variables, callOptions) {
      const fail = (error: string): ServerScriptResult => ({ type: 'runServerScript', ok: false, variablesToSet: [], error })
      const globalsText = toGlobalsText(Object.fromEntries(variables.map((variable) => [variable.id, variable.value])))
      if (typeof globalsText === 'string') return fail(globalsText)
      const result = await pool.run({
        type: 'runServerScript',
        content,
        globals: globalsText,
        timeoutMs,
        deadline: callOptions.deadline,
        fetch: callOptions.fetch,
      })
      const variablesToSet = result.variablesToSet.map(({ name, valueJson }) => ({ name, value: parseValue(valueJson) }))
      // The value goes to AI tools, which hand it to the model.
      if (result.ok) return { type: 'runServerScript', ok: true, variablesToSet, value: parseValue(result.valueJson) }
      return { ...fail(result.error), variablesToSet }
    },
    close: () => pool.close(),
  }
}

/** JSON text of the globals, or why they cannot be handed to the code. */
function toGlobalsText(globals: Record<string, unknown>): GlobalsText | string {
  const entries = Object.entries(globals)
  try {
    // fromEntries keeps a `__proto__` name as an own property instead of a prototype change.
    const json = JSON.stringify(Object.fromEntries(entries.filter(([, value]) => value !== undefined)))
    return { json, undefinedNames: entries.filter(([, value]) => value === undefined).map(([name]) => name) }
  } catch (error) {
    return `The variables cannot be handed to the code: ${describeHostError(error)}`
  }
}

function toCodeResult(result: WorkerResult): CodeResult {
  if (!result.ok) return { ok: false, error: result.error }
  if (result.valueJson === undefined) return { ok: true, value: undefined }
  const parsed = parseUserJson(result.valueJson)
  return parsed ? { ok: true, value: parsed.value } : { ok: false, error: "The code's result is nested too deeply" }
}

// A value too deeply nested to be stored is stored as nothing.
function parseValue(valueJson: string | undefined): unknown {
  return valueJson === undefined ? undefined : parseUserJson(valueJson)?.value
}
