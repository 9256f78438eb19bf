import { randomUUID } from 'node:crypto'
import { setImmediate as yieldToRequests } from 'node:timers/promises'
import type { Metrics } from '../metrics/metrics.js'
import type { Store } from '../storage/store.js'

export type SweeperOptions = {
  store: Store['sweep']
  metrics: Metrics
  /** The chat clock: sessions expire and results age by it (tests move it forward). */
  now: () => number
  /** Days after which results are deleted; undefined keeps them. */
  resultsRetentionDays?: number
  /** Deletes the bytes of files uploaded in deleted results (their records went with the results). */
  deleteFiles: (storageKeys: string[]) => Promise<void>
  /** Days after which finished webhook deliveries are deleted. */
  webhookDeliveryRetentionDays: number
  intervalMs?: number
  /** Called with what failed; the next pass tries again. */
  onError?: (error: unknown) => void
}

export type Sweeper = { stop(): Promise<void> }

const defaultIntervalMs = 60_000
const sessionBatch = 500
const resultBatch = 100
const deliveryBatch = 500
/** A pass stops after this long and the next one carries on: deleting a backlog never hogs the database. */
const maxPassMs = 10_000
const leaseName = 'sweeper'
const leaseTtlMs = 5 * 60_000
const dayMs = 86_400_000

/**
 * Deletes expired sessions (their results stay), finished webhook deliveries past their retention
 * and, with a retention, results older than it (with their uploaded files), in small batches with a
 * turn of the event loop between them. One process sweeps at a time: the others find the lease
 * taken and skip the pass.
 */
export function startSweeper(options: SweeperOptions): Sweeper {
  const { store, metrics } = options
  const owner = randomUUID()
  let isStopped = false
  let pass: Promise<void> | undefined

  async function sweepOnce() {
    if (!(await store.takeLease(leaseName, owner, leaseTtlMs, Date.now()))) return
    try {
      const passEnds = performance.now() + maxPassMs
      const isOver = () => isStopped || performance.now() > passEnds
      const now = new Date(options.now()).toISOString()
      for (;;) {
        const deleted = await store.deleteExpiredSessions(now, sessionBatch)
        if (deleted > 0) metrics.sessionsExpired(deleted)
        if (deleted < sessionBatch || isOver()) break
        await yieldToRequests()
      }
      const deliveriesCutoff = new Date(options.now() - options.webhookDeliveryRetentionDays * dayMs).toISOString()
      for (;;) {
        if (isOver()) break
        const deleted = await store.deleteFinishedDeliveriesBefore(deliveriesCutoff, deliveryBatch)
        if (deleted < deliveryBatch) break
        await yieldToRequests()
      }
      const days = options.resultsRetentionDays
      if (days === undefined) return
      const cutoff = new Date(options.now() - days * dayMs).toISOString()
      for (;;) {
        if (isOver()) break
        const deleted = await store.deleteResultsCreatedBefore(cutoff, resultBatch)
        if (deleted.count > 0) metrics.resultsDeleted(deleted.count)
        // Records first, then the bytes: a failure here leaves an unreachable file, never a dangling record.
        if (deleted.storageKeys.length > 0) await options.deleteFiles(deleted.storageKeys)
        if (deleted.count < resultBatch) break
        await yieldToRequests()
      }
    } finally {
      await store.releaseLease(leaseName, owner)
    }
  }

  const timer = setInterval(() => {
    // A pass still running (a large backlog) is not joined by another.
    if (pass || isStopped) return
    pass = sweepOnce()
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => {
        pass = undefined
      })
  }, options.intervalMs ?? defaultIntervalMs)
  timer.unref()

  return {
    async stop() {
      isStopped = true
      clearInterval(timer)
      await pass
    },
  }
}
