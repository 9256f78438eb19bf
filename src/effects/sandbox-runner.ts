/**
 * Runs untrusted code in QuickJS, inside a sandbox worker. Every run gets a fresh runtime and
 * context, so runs never see each other's state; the module (and its WebAssembly memory, whose
 * ceiling is the real memory limit) is the worker's. Nothing here touches the network: a server
 * script's `fetch` is handed to the main thread. An exception thrown out of a run means QuickJS
 * itself failed (not the code), and the worker is replaced.
 */
import type { QuickJSContext, QuickJSHandle, QuickJSRuntime, QuickJSWASMModule } from 'quickjs-emscripten'
import type { GlobalsText, JobOutcome, SetVariableText, WorkerResult } from './sandbox-protocol.js'
import type { ScriptFetch, ScriptFetches } from './sandbox-script-fetch.js'
import { createScriptFetches } from './sandbox-script-fetch.js'

// Kept small: QuickJS frames also use the host's native stack, which must not overflow first.
const MAX_STACK_BYTES = 256 * 1024
const NEVER_SETTLES = 'The code waits for a promise that never settles'
// Time left to read an error's name and message once the deadline has passed.
const ERROR_READING_GRACE_MS = 100
const MEMORY_HEADROOM_BYTES = 4 * 1024 * 1024

export type Runner = {
  runCode(code: string, globals: GlobalsText, timeoutMs: number): WorkerResult
  runServerScript(content: string, globals: GlobalsText, timeoutMs: number, fetch: ScriptFetch): Promise<WorkerResult>
}

/**
 * `isMemoryFull` tells whether the WebAssembly memory reached its ceiling: QuickJS then cannot
 * even allocate the error it throws, and the code sees `null` thrown.
 */
export function createRunner(
  module: QuickJSWASMModule,
  memoryBytes: number,
  maxTransferChars: number,
  isMemoryFull: () => boolean,
): Runner {
  const limits = { memoryBytes, maxTransferChars, isMemoryFull }
  return {
    runCode: (code, globals, timeoutMs) => runCode(module, { ...limits, timeoutMs }, code, globals),
    runServerScript: (content, globals, timeoutMs, fetch) => runServerScript(module, { ...limits, timeoutMs }, content, globals, fetch),
  }
}

type Limits = { timeoutMs: number; memoryBytes: number; maxTransferChars: number; isMemoryFull(): boolean }

type Settled = { ok: true; valueJson: string | undefined } | { ok: false; error: string; outcome: Exclude<JobOutcome, 'ok'> }

function runCode(module: QuickJSWASMModule, limits: Limits, code: string, globals: GlobalsText): WorkerResult {
  const run = openRun(module, limits)
  try {
    const failure = run.defineGlobals(globals)
    if (failure) return { ...failure, variablesToSet: [] }
    const started = run.startFunction(code)
    if (!started.ok) return { ...started, variablesToSet: [] }
    const jobError = run.drainJobs()
    const settled = run.readSettled(started.promise)
    started.promise.dispose()
    if (settled === 'pending') return { ...(jobError ?? run.failure(NEVER_SETTLES)), variablesToSet: [] }
    return { ...settled, variablesToSet: [] }
  } finally {
    run.dispose()
  }
}

async function runServerScript(
  module: QuickJSWASMModule,
  limits: Limits,
  content: string,
  globals: GlobalsText,
  fetch: ScriptFetch,
): Promise<WorkerResult> {
  const variablesToSet: SetVariableText[] = []
  const run = openRun(module, limits)
  try {
    const failure = run.defineGlobals(globals)
    if (failure) return { ...failure, variablesToSet }
    const fetches = run.installScriptFunctions((variable) => variablesToSet.push(variable), fetch)
    const started = run.startFunction(content)
    if (!started.ok) return { ...started, variablesToSet }
    try {
      for (;;) {
        const jobError = run.drainJobs()
        const settled = run.readSettled(started.promise)
        if (settled !== 'pending') return { ...settled, variablesToSet }
        if (jobError !== undefined) return { ...jobError, variablesToSet }
        if (fetches.inFlight() === 0) return { ...run.failure(NEVER_SETTLES), variablesToSet }
        const isOnTime = await fetches.waitForCompletion(run.deadline)
        if (!isOnTime) return { ok: false, error: timeoutMessage(limits.timeoutMs), outcome: 'timeout', variablesToSet }
        fetches.deliverCompleted()
      }
    } finally {
      fetches.abandon()
      started.promise.dispose()
    }
  } finally {
    run.dispose()
  }
}

type Started = { ok: true; promise: QuickJSHandle } | { ok: false; error: string; outcome: Exclude<JobOutcome, 'ok'> }
type Failure = { ok: false; error: string; outcome: Exclude<JobOutcome, 'ok'> }

type Run = {
  deadline: number
  defineGlobals(globals: GlobalsText): Failure | undefined
  installScriptFunctions(onSetVariable: (variable: SetVariableText) => void, fetch: ScriptFetch): ScriptFetches
  startFunction(body: string): Started
  /** Runs queued promise jobs; returns the error that stopped them, if any. */
  drainJobs(): Failure | undefined
  readSettled(promise: QuickJSHandle): Settled | 'pending'
  failure(error: string): Failure
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

function openRun(module: QuickJSWASMModule, limits: Limits): Run {
  const runtime = module.newRuntime()
  // Below the WebAssembly ceiling, so that QuickJS's own limit (when its accounting sees the
  // allocation) fails first, with room left to build the error.
  runtime.setMemoryLimit(Math.max(limits.memoryBytes - MEMORY_HEADROOM_BYTES, MEMORY_HEADROOM_BYTES))
  runtime.setMaxStackSize(MAX_STACK_BYTES)
  const deadline = Date.now() + limits.timeoutMs
  runtime.setInterruptHandler(() => Date.now() > deadline)
  const context = runtime.newContext()
  const helpers = context.unwrapResult(context.evalCode(BOOTSTRAP, 'bootstrap.js'))
  let transferredChars = 0

  const callHelper = (name: string, ...args: QuickJSHandle[]) => {
    const helper = context.getProp(helpers, name)
    try {
      return context.callFunction(helper, context.undefined, ...args)
    } finally {
      helper.dispose()
    }
  }

  const vmFailure = (handle: QuickJSHandle): Failure => {
    const error =
      context.dump(handle) === null && limits.isMemoryFull()
        ? `The code used more memory than allowed (${formatSize(limits.memoryBytes)})`
        : describeVmError(context, runtime, handle, limits.timeoutMs, deadline)
    handle.dispose()
    return { ok: false, error, outcome: error === timeoutMessage(limits.timeoutMs) ? 'timeout' : 'error' }
  }

  const readResult = (handle: QuickJSHandle): Settled => {
    const serialized = callHelper('serialize', handle)
    if (serialized.error) return vmFailure(serialized.error)
    const text = context.typeof(serialized.value) === 'string' ? context.getString(serialized.value) : undefined
    serialized.value.dispose()
    if (text !== undefined && text.length > limits.maxTransferChars) {
      return { ok: false, error: `The code's result is larger than ${formatSize(limits.maxTransferChars)}`, outcome: 'error' }
    }
    return { ok: true, valueJson: text }
  }

  return {
    deadline,
    defineGlobals(globals) {
      const jsonHandle = context.newString(globals.json)
      const namesHandle = context.newString(JSON.stringify(globals.undefinedNames))
      const result = callHelper('defineGlobals', jsonHandle, namesHandle)
      jsonHandle.dispose()
      namesHandle.dispose()
      if (!result.error) {
        result.value.dispose()
        return undefined
      }
      return vmFailure(result.error)
    },
    installScriptFunctions(onSetVariable, fetch) {
      const fetches = createScriptFetches(context, fetch, deadline)
      const setVariable = context.newFunction('setVariable', (nameHandle, valueHandle) => {
        const name = context.getString(nameHandle)
        const text = valueHandle === undefined || context.typeof(valueHandle) !== 'string' ? undefined : context.getString(valueHandle)
        transferredChars += text?.length ?? 0
        // Thrown here, this becomes an exception inside the script.
        if (transferredChars > limits.maxTransferChars) {
          throw new Error(`setVariable: the values set by one script may not exceed ${formatSize(limits.maxTransferChars)}`)
        }
        onSetVariable({ name, valueJson: text })
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
      if (result.error) return vmFailure(result.error)
      return { ok: true, promise: result.value }
    },
    drainJobs() {
      const result = runtime.executePendingJobs(-1)
      if (!result.error) return undefined
      return vmFailure(result.error)
    },
    readSettled(promise) {
      const state = context.getPromiseState(promise)
      if (state.type === 'pending') return 'pending'
      if (state.type === 'rejected') return vmFailure(state.error)
      try {
        return readResult(state.value)
      } finally {
        state.value.dispose()
      }
    },
    failure(error) {
      return { ok: false, error, outcome: Date.now() > deadline ? 'timeout' : 'error' }
    },
    dispose() {
      helpers.dispose()
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

export function timeoutMessage(timeoutMs: number): string {
  return `The code took longer than ${timeoutMs / 1000} seconds and was stopped`
}

export function formatSize(chars: number): string {
  return chars >= 1024 * 1024 ? `${Math.round(chars / (1024 * 1024))} MB` : `${Math.round(chars / 1024)} KB`
}
