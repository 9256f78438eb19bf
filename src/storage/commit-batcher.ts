import { type BatchJob, isBusy, type SqliteTurnWriter, type Statements, sqliteBusyTimeoutMs } from './sqlite-turn-writer.js'

type QueuedJob = BatchJob & { settle(): void; reject(error: unknown): void }

/** Bounds how long one transaction holds the single SQLite writer. */
const maxJobsPerBatch = 64
/** Between two tries for the write lock another process holds. */
const busyRetryMs = 1

/**
 * Group commit for SQLite: writes that arrive while the event loop is busy (turns, session leases)
 * run in one transaction, each inside its own savepoint so a conflict or failure undoes only that
 * one. Callers learn their outcome only after the COMMIT, so an answer is never reported saved early.
 */
export class CommitBatcher {
  private queue: QueuedJob[] = []
  private isScheduled = false
  private drained: (() => void)[] = []
  /** Since when the write lock has been busy (another process), undefined when the last try got it. */
  private busySince: number | undefined

  constructor(
    private readonly writer: SqliteTurnWriter,
    /** Runs after each COMMIT (the store asks for a background WAL checkpoint there). */
    private readonly onCommitted: () => void = () => {},
  ) {}

  /**
   * Runs `work` in the next group commit and resolves with what it returned, once committed.
   * `recover` turns an error of `work` (its savepoint undone) into an outcome; without it the error is thrown.
   */
  submit<T>(work: (statements: Statements) => T, recover?: (error: unknown) => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let outcome: { value: T } | { error: unknown } = { error: new Error('The write was not run') }
      this.queue.push({
        execute(statements) {
          outcome = { value: work(statements) }
        },
        recover(error) {
          try {
            outcome = recover ? { value: recover(error) } : { error }
          } catch (unrecovered) {
            outcome = { error: unrecovered }
          }
        },
        settle() {
          if ('value' in outcome) resolve(outcome.value)
          else reject(outcome.error)
        },
        reject,
      })
      this.schedule()
    })
  }

  /** Resolves once every queued write is committed (used on shutdown). */
  drain(): Promise<void> {
    if (this.queue.length === 0) return Promise.resolve()
    return new Promise((resolve) => this.drained.push(resolve))
  }

  private schedule() {
    if (this.isScheduled) return
    this.isScheduled = true
    // setImmediate lets the requests already in flight reach submit() and join this batch.
    setImmediate(() => {
      this.isScheduled = false
      this.flush()
    })
  }

  private flush() {
    // A transaction of the management API is open on the connection, awaiting its next query:
    // writing now would join it. Try again on the next turn of the event loop.
    if (!this.writer.canWrite()) return this.schedule()
    if (this.queue.length === 0) return this.afterFlush()
    const jobs = this.queue.splice(0, maxJobsPerBatch)
    try {
      this.writer.write(jobs)
    } catch (error) {
      if (isBusy(error) && this.retryWhileBusy(jobs)) return
      this.busySince = undefined
      for (const job of jobs) job.reject(error)
      return this.afterFlush()
    }
    this.busySince = undefined
    this.onCommitted()
    for (const job of jobs) job.settle()
    this.afterFlush()
  }

  /**
   * Another process holds the write lock: nothing of the batch ran. Try again on a timer, keeping the
   * event loop free, until the lock has been busy for as long as SQLite itself would wait.
   */
  private retryWhileBusy(jobs: QueuedJob[]): boolean {
    const now = performance.now()
    this.busySince ??= now
    if (now - this.busySince > sqliteBusyTimeoutMs) return false
    this.queue.unshift(...jobs)
    this.isScheduled = true
    setTimeout(() => {
      this.isScheduled = false
      this.flush()
    }, busyRetryMs)
    return true
  }

  private afterFlush() {
    if (this.queue.length > 0) return this.schedule()
    for (const resolve of this.drained.splice(0)) resolve()
  }
}
