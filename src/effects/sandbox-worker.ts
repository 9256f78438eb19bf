/**
 * Entry of a sandbox worker thread: one QuickJS module whose WebAssembly memory cannot grow past
 * the configured ceiling, one job at a time. The main thread enforces the wall-clock limit by
 * terminating the worker; this side stops code at its deadline first when it can.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { newQuickJSWASMModuleFromVariant, newVariant, RELEASE_SYNC } from 'quickjs-emscripten'
import type { HttpResponseResult } from '../engine/types.js'
import type { FromWorker, SandboxWorkerData, ToWorker } from './sandbox-protocol.js'
import { createRunner } from './sandbox-runner.js'
import { describeHostError } from './sandbox-script-fetch.js'

const WASM_PAGE_BYTES = 64 * 1024
// The QuickJS build asks for 16 MB of initial memory.
const MIN_MEMORY_PAGES = 256

const port = parentPort
if (!port) throw new Error('sandbox-worker runs as a worker thread only')
const data: SandboxWorkerData = workerData

const maximum = Math.max(MIN_MEMORY_PAGES, Math.floor(data.memoryBytes / WASM_PAGE_BYTES))
const wasmMemory = new WebAssembly.Memory({ initial: MIN_MEMORY_PAGES, maximum })
const module = await newQuickJSWASMModuleFromVariant(newVariant(RELEASE_SYNC, { wasmMemory }))
const ceilingBytes = maximum * WASM_PAGE_BYTES
const isMemoryFull = () => wasmMemory.buffer.byteLength >= ceilingBytes - WASM_PAGE_BYTES
const runner = createRunner(module, data.memoryBytes, data.maxTransferChars, isMemoryFull)

const pendingFetches = new Map<number, (response: HttpResponseResult) => void>()
let nextFetchId = 1

const send = (message: FromWorker) => port.postMessage(message)

port.on('message', (message: ToWorker) => {
  if (message.type === 'fetched') {
    pendingFetches.get(message.fetchId)?.(message.response)
    pendingFetches.delete(message.fetchId)
    return
  }
  const { jobId } = message
  run(message)
    .then((result) => {
      // A WebAssembly memory never shrinks: a worker whose code filled it makes room for a fresh one.
      const isRetiring = isMemoryFull()
      send({ type: 'done', jobId, result, isRetiring })
      if (isRetiring) process.exit(0)
    })
    .catch((error: unknown) => {
      send({ type: 'broken', jobId, error: describeHostError(error) })
      // The module may be corrupt: leave, the pool starts a fresh worker.
      process.exit(1)
    })
})

async function run(job: Exclude<ToWorker, { type: 'fetched' }>) {
  if (job.type === 'runCode') return runner.runCode(job.code, job.globals, job.timeoutMs)
  return runner.runServerScript(job.content, job.globals, job.timeoutMs, (request) => {
    const fetchId = nextFetchId++
    send({ type: 'fetch', jobId: job.jobId, fetchId, request })
    return new Promise<HttpResponseResult>((resolve) => pendingFetches.set(fetchId, resolve))
  })
}

send({ type: 'ready' })
