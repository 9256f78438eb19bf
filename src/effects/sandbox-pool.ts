/**
 * A small pool of worker threads running QuickJS, so user code never runs on the main thread.
 * Workers start when work arrives, take one job at a time, and are replaced when they die: a job
 * that overruns its time limit is stopped by terminating its worker from here, a worker that
 * outgrows its heap is killed by Node. A busy pool queues jobs up to a bound, then refuses them.
 */
import { Worker } from 'node:worker_threads'
import type { HttpRequestSpec, HttpResponseResult } from '../engine/types.js'
import type { FromWorker, SandboxWorkerData, ToWorker, WorkerJob, WorkerResult } from './sandbox-protocol.js'
import { formatSize, timeoutMessage } from './sandbox-runner.js'

/** What the metrics hook hears after each job. */
export type SandboxEvent = {
  kind: WorkerJob['type']
  outcome: 'ok' | 'error' | 'timeout' | 'memory' | 'busy' | 'crashed'
  durationMs: number
}

export type SandboxPoolOptions = {
  workers: number
  memoryBytes: number
  maxTransferChars: number
  /** Jobs waiting per worker before new ones are refused. */
  queuePerWorker: number
  /** Time a worker gets after its deadline to stop the code itself before it is terminated. */
  killGraceMs?: number
  onEvent?: (event: SandboxEvent) => void
}

export type PoolJob = WorkerJob & {
  /** Absolute time after which the job must not start or go on (the turn's budget), if any. */
  deadline?: number
  /** Performs a server script's `fetch` (the SSRF-checked client). */
  fetch?: (request: HttpRequestSpec) => Promise<HttpResponseResult>
}

export type SandboxPool = {
  run(job: PoolJob): Promise<WorkerResult>
  close(): Promise<void>
}

type Slot = { worker: Worker; isReady: boolean; active?: ActiveJob }
type QueuedJob = { job: PoolJob; startedAt: number; resolve(result: WorkerResult): void }
type ActiveJob = QueuedJob & { jobId: number; timeoutMs: number; timer: NodeJS.Timeout }

const DEFAULT_KILL_GRACE_MS = 250
// Workers that die before they are ready (a missing file, no memory) are not restarted in a tight loop.
const MAX_START_FAILURES = 3
const START_RETRY_MS = 1_000

export function createSandboxPool(options: SandboxPoolOptions): SandboxPool {
  const slots = new Set<Slot>()
  const queue: QueuedJob[] = []
  const killGraceMs = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS
  const maxQueue = options.workers * options.queuePerWorker
  const workerData: SandboxWorkerData = { memoryBytes: options.memoryBytes, maxTransferChars: options.maxTransferChars }
  let nextJobId = 1
  let startFailures = 0
  let startError = ''
  let isClosed = false
  let retryTimer: NodeJS.Timeout | undefined

  const report = (job: PoolJob, outcome: SandboxEvent['outcome'], startedAt: number) =>
    options.onEvent?.({ kind: job.type, outcome, durationMs: performance.now() - startedAt })

  const finish = (queued: QueuedJob, result: WorkerResult, outcome: SandboxEvent['outcome']) => {
    report(queued.job, outcome, queued.startedAt)
    queued.resolve(result)
  }

  const spawn = () => {
    const entry = workerEntry()
    const worker = new Worker(entry.url, {
      workerData,
      execArgv: entry.execArgv,
      // The V8 heap holds host-side copies of what crosses (globals, results, setVariable values, 2 bytes a character).
      resourceLimits: { maxOldGenerationSizeMb: Math.ceil((4 * 2 * options.maxTransferChars) / (1024 * 1024)) + 64 },
    })
    const slot: Slot = { worker, isReady: false }
    slots.add(slot)
    worker.on('message', (message: FromWorker) => onMessage(slot, message))
    worker.on('error', (error: Error & { code?: string }) => onExit(slot, error))
    worker.on('exit', () => onExit(slot))
  }

  const onMessage = (slot: Slot, message: FromWorker) => {
    if (message.type === 'ready') {
      slot.isReady = true
      startFailures = 0
      dispatch()
      return
    }
    const active = slot.active
    if (!active || active.jobId !== message.jobId) return
    if (message.type === 'fetch') {
      const perform = active.job.fetch ?? (async () => ({ statusCode: 500, data: null, error: 'fetch is not available here' }))
      perform(message.request)
        .catch((error: unknown): HttpResponseResult => ({ statusCode: 500, data: null, error: String(error) }))
        .then((response) => {
          if (slot.active === active) post(slot, { type: 'fetched', jobId: active.jobId, fetchId: message.fetchId, response })
        })
      return
    }
    release(slot)
    if (message.type === 'done') {
      if (message.isRetiring) slots.delete(slot)
      finish(active, message.result, message.result.ok ? 'ok' : message.result.outcome)
    } else {
      // QuickJS itself failed: the worker is leaving; never give it another job.
      slots.delete(slot)
      void slot.worker.terminate()
      finish(active, failure(`The JavaScript sandbox failed: ${message.error}`), 'crashed')
    }
    dispatch()
  }

  const onExit = (slot: Slot, error?: Error & { code?: string }) => {
    if (!slots.delete(slot)) return
    const active = slot.active
    if (active) {
      clearTimeout(active.timer)
      const isMemory = error?.code === 'ERR_WORKER_OUT_OF_MEMORY'
      const message = isMemory
        ? `The code used more memory than allowed (${formatSize(options.memoryBytes)})`
        : `The JavaScript sandbox stopped${error ? `: ${error.message}` : ''}`
      finish(active, failure(message), isMemory ? 'memory' : 'crashed')
    } else if (!slot.isReady) {
      startFailures++
      startError = error?.message ?? 'the worker exited'
    }
    if (isClosed) return
    if (startFailures >= MAX_START_FAILURES) {
      for (const queued of queue.splice(0)) finish(queued, failure(`The JavaScript sandbox cannot start: ${startError}`), 'crashed')
      retryTimer ??= setTimeout(() => {
        retryTimer = undefined
        startFailures = MAX_START_FAILURES - 1
        dispatch()
      }, START_RETRY_MS).unref()
      return
    }
    dispatch()
  }

  const release = (slot: Slot) => {
    if (slot.active) clearTimeout(slot.active.timer)
    slot.active = undefined
  }

  const post = (slot: Slot, message: ToWorker) => slot.worker.postMessage(message)

  const start = (slot: Slot, queued: QueuedJob) => {
    const { job } = queued
    const left = job.deadline === undefined ? job.timeoutMs : Math.min(job.timeoutMs, job.deadline - Date.now())
    if (left <= 0) {
      finish(queued, failure(timeoutMessage(job.timeoutMs), 'timeout'), 'timeout')
      return
    }
    const jobId = nextJobId++
    const timer = setTimeout(() => onOverrun(slot), left + killGraceMs)
    slot.active = { ...queued, jobId, timeoutMs: left, timer }
    const { deadline: _deadline, fetch: _fetch, ...message } = job
    post(slot, { ...message, timeoutMs: left, jobId })
  }

  const onOverrun = (slot: Slot) => {
    const active = slot.active
    if (!active) return
    slots.delete(slot)
    release(slot)
    void slot.worker.terminate()
    finish(active, failure(timeoutMessage(active.timeoutMs), 'timeout'), 'timeout')
    dispatch()
  }

  const dispatch = () => {
    if (isClosed) return
    for (const slot of slots) {
      // A job whose deadline already passed finishes at once and leaves the worker free for the next.
      while (slot.isReady && !slot.active) {
        const next = queue.shift()
        if (!next) break
        start(slot, next)
      }
    }
    let unserved = queue.length - [...slots].filter((slot) => !slot.isReady).length
    while (unserved > 0 && slots.size < options.workers && startFailures < MAX_START_FAILURES) {
      spawn()
      unserved--
    }
    // Pending work keeps the process alive (the CLI awaits it); idle workers do not.
    const isBusy = queue.length > 0 || [...slots].some((slot) => slot.active)
    for (const slot of slots) isBusy ? slot.worker.ref() : slot.worker.unref()
  }

  return {
    run(job) {
      return new Promise<WorkerResult>((resolve) => {
        const queued: QueuedJob = { job, startedAt: performance.now(), resolve }
        if (isClosed) return finish(queued, failure('The JavaScript sandbox is closed'), 'crashed')
        if (queue.length >= maxQueue) return finish(queued, failure('The JavaScript sandbox is busy, try again later'), 'busy')
        queue.push(queued)
        dispatch()
      })
    },
    async close() {
      isClosed = true
      if (retryTimer) clearTimeout(retryTimer)
      for (const queued of queue.splice(0)) finish(queued, failure('The JavaScript sandbox is closed'), 'crashed')
      await Promise.all(
        [...slots].map((slot) => {
          slots.delete(slot)
          if (slot.active) {
            const active = slot.active
            release(slot)
            finish(active, failure('The JavaScript sandbox is closed'), 'crashed')
          }
          return slot.worker.terminate()
        }),
      )
    },
  }
}

function failure(error: string, outcome: 'error' | 'timeout' = 'error'): WorkerResult {
  return { ok: false, error, outcome, variablesToSet: [] }
}

/**
 * The worker's file sits next to this module: TypeScript when running from the sources (tests,
 * tsx), loaded through tsx; the compiled or bundled `.js` otherwise.
 */
function workerEntry(): { url: URL; execArgv: string[] } {
  const isSource = import.meta.url.endsWith('.ts')
  return isSource
    ? { url: new URL('./sandbox-worker.ts', import.meta.url), execArgv: ['--import', 'tsx'] }
    : { url: new URL('./sandbox-worker.js', import.meta.url), execArgv: [] }
}
