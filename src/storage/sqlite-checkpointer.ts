import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import type BetterSqlite3 from 'better-sqlite3'

export type CheckpointerOptions = {
  /** Least time between two background checkpoints while writes go on. */
  intervalMs?: number
  /** WAL frames (pages) from which the main thread resets the log after a background pass. */
  resetFrames?: number
}

const sqliteDefaultAutocheckpoint = 1_000

/** What `PRAGMA wal_checkpoint` answers: frames in the WAL, and how many of them are in the database file. */
type CheckpointResult = { busy: number; log: number; checkpointed: number }

/**
 * The worker: its own connection to the same file. On request it copies WAL frames into the
 * database file (PASSIVE: never waits for, nor blocks, the writer), pass after pass while a pass
 * still finds many new frames, so that what it leaves behind is what the writer added during
 * its last short pass. Inline CommonJS, so it runs alike from the esbuild bundle and from the
 * TypeScript sources under the test runner; better-sqlite3 comes as a resolved path.
 */
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driverPath)
const db = new Database(workerData.filename, { fileMustExist: true })
const catchUpFrames = 64
const maxPasses = 8
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close()
    parentPort.close()
    return
  }
  try {
    let result
    let copied = 0
    for (let pass = 0; pass < maxPasses; pass++) {
      result = db.pragma('wal_checkpoint(PASSIVE)')[0]
      const copiedNow = result.checkpointed - copied
      copied = result.checkpointed
      if (copiedNow < catchUpFrames) break
    }
    parentPort.postMessage(result)
  } catch (error) {
    parentPort.postMessage({ error: String((error && error.message) || error) })
  }
})
`

/**
 * Keeps WAL checkpoints off the request path. By default SQLite checkpoints inside the commit
 * that crosses 1,000 WAL pages, and copying those pages back into the database file blocked the
 * event loop for ~10 ms: 1% of group commits took 10 ms instead of 0.7 ms, and that was the p99
 * of continueChat. Here a worker thread copies the pages while the main thread goes on serving.
 *
 * The worker alone cannot bound the file: SQLite only starts the WAL over when a writer finds
 * every frame copied, which a checkpoint running beside a busy writer never achieves. So once
 * the WAL holds `resetFrames` frames, the main thread runs one checkpoint itself right after a
 * background pass, between two commits: it copies only the frames written meanwhile (a median
 * of ~70, ~1.5 ms, about once a second under full load), and the next commit starts the WAL
 * over. At 1,000 frames that happened 8 times a second and still showed in the p99. The
 * automatic checkpoint stays on at a higher mark as a backstop, and back at SQLite's default
 * should the worker fail.
 */
export class SqliteCheckpointer {
  private worker: Worker | undefined
  private isRunning = false
  private lastStartedAt = -Infinity
  /** Closed, or the worker failed: the automatic checkpoint carries on alone. */
  private isOff = false
  private readonly intervalMs: number
  private readonly resetFrames: number

  constructor(
    private readonly database: BetterSqlite3.Database,
    private readonly filename: string,
    options: CheckpointerOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 50
    this.resetFrames = options.resetFrames ?? 8_000
    database.pragma(`wal_autocheckpoint = ${this.resetFrames * 4}`)
  }

  /** Called after each commit: asks the worker for a pass when one is due (starting it on first use). */
  noteCommit(): void {
    if (this.isRunning || this.isOff) return
    const now = performance.now()
    if (now - this.lastStartedAt < this.intervalMs) return
    this.lastStartedAt = now
    this.isRunning = true
    this.ensureWorker().postMessage('checkpoint')
  }

  async close(): Promise<void> {
    this.isOff = true
    const worker = this.worker
    if (!worker) return
    this.worker = undefined
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()))
    worker.postMessage('close')
    await exited
  }

  private onPassDone(result: CheckpointResult | { error: string }) {
    this.isRunning = false
    if ('error' in result || this.isOff || !this.database.open) return
    // Not inside a transaction: a checkpoint there fails, and would hold the writer's lock longer.
    if (result.log >= this.resetFrames && !this.database.inTransaction) {
      this.database.pragma('wal_checkpoint(PASSIVE)')
    }
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker
    const driverPath = createRequire(import.meta.url).resolve('better-sqlite3')
    const worker = new Worker(workerSource, { eval: true, workerData: { filename: this.filename, driverPath } })
    // A thread that only waits for work must not keep the process alive.
    worker.unref()
    worker.on('message', (result: CheckpointResult | { error: string }) => this.onPassDone(result))
    // Losing the worker loses no data: SQLite's own checkpoints take over. No restart,
    // so a worker that cannot open the file does not fail again every few milliseconds.
    worker.on('error', () => {
      this.isOff = true
      this.isRunning = false
      this.worker = undefined
      if (this.database.open) this.database.pragma(`wal_autocheckpoint = ${sqliteDefaultAutocheckpoint}`)
    })
    this.worker = worker
    return worker
  }
}
