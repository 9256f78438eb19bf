/**
 * The JavaScript sandbox for untrusted flow code (Set variable expressions, inline `{{= =}}`,
 * response mappings, server-side Code blocks). It runs QuickJS compiled to WebAssembly, so it
 * behaves the same on every Node version and shares nothing with the host: no `process`,
 * `require`, file system or network, apart from the SSRF-checked `fetch` handed to server
 * scripts. Every run gets a fresh runtime (own heap, memory limit, deadline), so runs never see
 * each other's state.
 */
import type { QuickJSContext, QuickJSHandle, QuickJSRuntime } from 'quickjs-emscripten'
import type { CodeResult, EffectResult } from '../engine/types.js'
import type { Engine, EnginePool } from './sandbox-engine-pool.js'
import { createEnginePool } from './sandbox-engine-pool.js'
import type { ScriptFetch, ScriptFetches } from './sandbox-script-fetch.js'
import { createScriptFetches, describeHostError } from './sandbox-script-fetch.js'

export type SandboxOptions = { timeoutMs?: number; memoryLimitBytes?: number }

export type { ScriptFetch }

export type ServerScriptResult = Extract<EffectResult, { type: 'runServerScript' }>

export type Sandbox = {
  /** Runs `code` as a function body with `globals` bound by name (matches `EngineEnv.runCode`). */
  runCode(code: string, globals: Record<string, unknown>): CodeResult
  /** Runs a server-side Code block: `setVariable(name, value)` and `fetch(url, init)` exist. */
  runServerScript(
    content: string,
    variables: { id: string; name: string; value: unknown }[],
    options: { fetch: ScriptFetch },
  ): Promise<ServerScriptResult>
}

const DEFAULT_TIMEOUT_MS = 10_000
const DEFAULT_MEMORY_LIMIT_BYTES = 32 * 1024 * 1024
// Kept small: QuickJS frames also use the host's native stack, which must not overflow first.
const MAX_STACK_BYTES = 256 * 1024
const NEVER_SETTLES = 'The code waits for a promise that never settles'
// Time left to read an error's name and message once the deadline has passed.
const ERROR_READING_GRACE_MS = 100

/** Loads the WebAssembly module (async, once at start-up) and returns the sandbox. */
export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const limits = {
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    memoryLimitBytes: options.memoryLimitBytes ?? DEFAULT_MEMORY_LIMIT_BYTES,
  }
  const pool = await createEnginePool()
  return {
    runCode: (code, globals) => runCode(pool, limits, code, globals),
    runServerScript: (content, variables, scriptOptions) => runServerScript(pool, limits, content, variables, scriptOptions.fetch),
  }
}

type Limits = { timeoutMs: number; memoryLimitBytes: number }

function runCode(pool: EnginePool, limits: Limits, code: string, globals: Record<string, unknown>): CodeResult {
  const engine = pool.acquire()
  if (!engine) return { ok: false, error: 'The JavaScript sandbox is restarting, try again' }
  let run: Run | undefined
  try {
    run = openRun(engine, limits)
    const failure = run.defineGlobals(globals)
    if (failure) return { ok: false, error: failure }
    const started = run.startFunction(code)
    if (!started.ok) return started
    const jobError = run.drainJobs()
    const settled = run.readSettled(started.promise)
    started.promise.dispose()
    if (settled === 'pending') return { ok: false, error: jobError ?? NEVER_SETTLES }
    return settled
  } catch (error) {
    pool.markBroken(engine)
    return { ok: false, error: `The JavaScript sandbox failed: ${describeHostError(error)}` }
  } finally {
    if (run) disposeRun(pool, engine, run)
  }
}

async function runServerScript(
  pool: EnginePool,
  limits: Limits,
  content: string,
  variables: { id: string; name: string; value: unknown }[],
  fetch: ScriptFetch,
): Promise<ServerScriptResult> {
  const variablesToSet: { name: string; value: unknown }[] = []
  const fail = (error: string): ServerScriptResult => ({ type: 'runServerScript', ok: false, variablesToSet, error })
  const engine = pool.acquire()
  if (!engine) return fail('The JavaScript sandbox is restarting, try again')
  let run: Run | undefined
  try {
    run = openRun(engine, limits)
    const globals = Object.fromEntries(variables.map((variable) => [variable.id, variable.value]))
    const failure = run.defineGlobals(globals)
    if (failure) return fail(failure)
    const fetches = run.installScriptFunctions((name, value) => variablesToSet.push({ name, value }), fetch)
    const started = run.startFunction(content)
    if (!started.ok) return fail(started.error)
    try {
      for (;;) {
        const jobError = run.drainJobs()
        const settled = run.readSettled(started.promise)
        if (settled !== 'pending') {
          return settled.ok ? { type: 'runServerScript', ok: true, variablesToSet } : fail(settled.error)
        }
        if (jobError !== undefined) return fail(jobError)
        if (fetches.inFlight() === 0) return fail(NEVER_SETTLES)
        const isOnTime = await fetches.waitForCompletion(run.deadline)
        if (engine.isBroken) return fail('The JavaScript sandbox was restarted during the script')
        if (!isOnTime) return fail(timeoutMessage(limits.timeoutMs))
        fetches.deliverCompleted()
      }
    } finally {
      fetches.abandon()
      started.promise.dispose()
    }
  } catch (error) {
    pool.markBroken(engine)
    return fail(`The JavaScript sandbox failed: ${describeHostError(error)}`)
  } finally {
    if (run) disposeRun(pool, engine, run)
  }
}

/** A broken instance is never touched again; a failing disposal breaks it. */
function disposeRun(pool: EnginePool, engine: Engine, run: Run): void {
  if (engine.isBroken) return
  try {
    run.dispose()
  } catch {
    pool.markBroken(engine)
  }
}

type Started = { ok: true; promise: QuickJSHandle } | { ok: false; error: string }

type Run = {
  deadline: number
  defineGlobals(globals: Record<string, unknown>): string | undefined
  installScriptFunctions(onSetVariable: (name: string, value: unknown) => void, fetch: ScriptFetch): ScriptFetches
  startFunction(body: string): Started
  /** Runs queued promise jobs; returns the error that stopped them, if any. */
  drainJobs(): string | undefined
  readSettled(promise: QuickJSHandle): CodeResult | 'pending'
  dispose(): void
}

/**
 * Helpers created before any user code runs, so user code cannot replace what they capture
 * (`JSON.stringify`, `Object.defineProperty`). The object returned stays host-side only.
 */
const BOOTSTRAP = `(function () {
  const stringify = JSON.stringify, parse = JSON.parse, define = Object.defineProperty, keys = Object.keys
  const noop = function () {}
  globalThis.console = { log: noop, info: noop, warn: noop, error: noop, debug: noop }
  const serialize = function (value) {
    return stringify(value, function (key, item) { return typeof item === 'bigint' ? item.toString() : item })
  }
  return {
    serialize,
    defineGlobals(json, undefinedNames) {
      const values = parse(json)
      for (const name of keys(values)) define(globalThis, name, { value: values[name], writable: true, configurable: true, enumerable: true })
      for (const name of parse(undefinedNames)) define(globalThis, name, { value: undefined, writable: true, configurable: true, enumerable: true })
    },
    installScriptFunctions(hostSetVariable, hostFetch) {
      globalThis.setVariable = function (name, value) { hostSetVariable(String(name), serialize(value)) }
      globalThis.fetch = function (url, init) { return hostFetch(String(url), serialize(init) || '{}') }
    },
  }
})()`

function openRun(engine: Engine, limits: Limits): Run {
  const runtime = engine.module.newRuntime()
  runtime.setMemoryLimit(limits.memoryLimitBytes)
  runtime.setMaxStackSize(MAX_STACK_BYTES)
  const deadline = Date.now() + limits.timeoutMs
  runtime.setInterruptHandler(() => Date.now() > deadline)
  const context = runtime.newContext()
  const owned: QuickJSHandle[] = []
  const helpers = context.unwrapResult(context.evalCode(BOOTSTRAP, 'bootstrap.js'))
  owned.push(helpers)

  const callHelper = (name: string, ...args: QuickJSHandle[]) => {
    const helper = context.getProp(helpers, name)
    try {
      return context.callFunction(helper, context.undefined, ...args)
    } finally {
      helper.dispose()
    }
  }

  const readResult = (handle: QuickJSHandle): CodeResult => {
    const serialized = callHelper('serialize', handle)
    if (serialized.error) {
      const error = describeVmError(context, runtime, serialized.error, limits.timeoutMs, deadline)
      serialized.error.dispose()
      return { ok: false, error }
    }
    const text = context.typeof(serialized.value) === 'string' ? context.getString(serialized.value) : undefined
    serialized.value.dispose()
    return { ok: true, value: text === undefined ? undefined : JSON.parse(text) }
  }

  return {
    deadline,
    defineGlobals(globals) {
      const entries = Object.entries(globals)
      const undefinedNames = entries.filter(([, value]) => value === undefined).map(([name]) => name)
      let json: string
      try {
        // fromEntries keeps a `__proto__` name as an own property instead of a prototype change.
        json = JSON.stringify(Object.fromEntries(entries.filter(([, value]) => value !== undefined)))
      } catch (error) {
        return `The variables cannot be handed to the code: ${describeHostError(error)}`
      }
      const jsonHandle = context.newString(json)
      const namesHandle = context.newString(JSON.stringify(undefinedNames))
      const result = callHelper('defineGlobals', jsonHandle, namesHandle)
      jsonHandle.dispose()
      namesHandle.dispose()
      if (!result.error) {
        result.value.dispose()
        return undefined
      }
      const error = describeVmError(context, runtime, result.error, limits.timeoutMs, deadline)
      result.error.dispose()
      return error
    },
    installScriptFunctions(onSetVariable, fetch) {
      const fetches = createScriptFetches(context, fetch, deadline)
      const setVariable = context.newFunction('setVariable', (nameHandle, valueHandle) => {
        const name = context.getString(nameHandle)
        const text = valueHandle === undefined || context.typeof(valueHandle) !== 'string' ? undefined : context.getString(valueHandle)
        onSetVariable(name, text === undefined ? undefined : JSON.parse(text))
      })
      // The handle a host function returns is released by the library: hand it a duplicate.
      const hostFetch = context.newFunction('fetch', (urlHandle, initHandle) =>
        fetches.start(context.getString(urlHandle), context.getString(initHandle)).dup(),
      )
      const result = callHelper('installScriptFunctions', setVariable, hostFetch)
      setVariable.dispose()
      hostFetch.dispose()
      context.unwrapResult(result).dispose()
      return fetches
    },
    startFunction(body) {
      // An async wrapper lets code use `await`; a plain body behaves the same.
      const result = context.evalCode(`(async function () {\n${body}\n})()`, 'code.js')
      if (result.error) {
        const error = describeVmError(context, runtime, result.error, limits.timeoutMs, deadline)
        result.error.dispose()
        return { ok: false, error }
      }
      return { ok: true, promise: result.value }
    },
    drainJobs() {
      const result = runtime.executePendingJobs(-1)
      if (!result.error) return undefined
      const error = describeVmError(context, runtime, result.error, limits.timeoutMs, deadline)
      result.error.dispose()
      return error
    },
    readSettled(promise) {
      const state = context.getPromiseState(promise)
      if (state.type === 'pending') return 'pending'
      if (state.type === 'rejected') {
        const error = describeVmError(context, runtime, state.error, limits.timeoutMs, deadline)
        state.error.dispose()
        return { ok: false, error }
      }
      try {
        return readResult(state.value)
      } finally {
        state.value.dispose()
      }
    },
    dispose() {
      for (const handle of owned) handle.dispose()
      context.dispose()
      runtime.dispose()
    },
  }
}

function describeVmError(
  context: QuickJSContext,
  runtime: QuickJSRuntime,
  handle: QuickJSHandle,
  timeoutMs: number,
  deadline: number,
): string {
  if (Date.now() > deadline) {
    const graceDeadline = Date.now() + ERROR_READING_GRACE_MS
    runtime.setInterruptHandler(() => Date.now() > graceDeadline)
  }
  const read = (name: string): string | undefined => {
    const property = context.getProp(handle, name)
    try {
      return context.typeof(property) === 'string' ? context.getString(property) : undefined
    } finally {
      property.dispose()
    }
  }
  if (context.typeof(handle) !== 'object') return String(context.dump(handle))
  const name = read('name')
  const message = read('message')
  if (name === 'InternalError' && message === 'interrupted') return timeoutMessage(timeoutMs)
  if (message === undefined) return String(context.dump(handle))
  return name ? `${name}: ${message}` : message
}

function timeoutMessage(timeoutMs: number): string {
  return `The code took longer than ${timeoutMs / 1000} seconds and was stopped`
}
