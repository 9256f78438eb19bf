import type { TurnRecords } from '../engine/types.js'
import type { SqliteTurnWriter, TurnJob } from './sqlite-turn-writer.js'
import type { SessionWrite } from './store.js'

type Job = TurnJob & {
  resolve(isWritten: boolean): void
  reject(error: unknown): void
}

/** Bounds how long one transaction holds the single SQLite writer. */
const maxJobsPerBatch = 64

/**
 * Group commit for SQLite: turns that arrive while the event loop is busy are written in one
 * transaction, each inside its own savepoint so a conflict or failure undoes only that turn.
 * Callers learn their outcome only after the COMMIT, so an answer is never reported saved early.
 */
export class CommitBatcher {
  private queue: Job[] = []
  private isScheduled = false
  private drained: (() => void)[] = []

  constructor(
    private readonly writer: SqliteTurnWriter,
    /** Runs after each COMMIT (the store asks for a background WAL checkpoint there). */
    private readonly onCommitted: () => void = () => {},
  ) {}

  commit(write: SessionWrite, records: TurnRecords, lastChatSessionId: string | undefined): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ write, records, lastChatSessionId, resolve, reject })
      this.schedule()
    })
  }

  /** Resolves once every queued turn is committed (used on shutdown). */
  drain(): Promise<void> {
    if (this.queue.length === 0) return Promise.resolve()
    return new Promise((resolve) => this.drained.push(resolve))
  }

  private schedule() {
    if (this.isScheduled) return
    this.isScheduled = true
    // setImmediate lets the requests already in flight reach commit() and join this batch.
    setImmediate(() => {
      this.isScheduled = false
      this.flush()
    })
  }

  private flush() {
    // A transaction of the management API is open on the connection, awaiting its next query:
    // writing now would join it. Try again on the next turn of the event loop.
    if (!this.writer.canWrite()) return this.schedule()
    const jobs = this.queue.splice(0, maxJobsPerBatch)
    let outcomes: ReturnType<SqliteTurnWriter['write']>
    try {
      outcomes = this.writer.write(jobs)
    } catch (error) {
      for (const job of jobs) job.reject(error)
      return this.afterFlush()
    }
    this.onCommitted()
    jobs.forEach((job, index) => {
      const outcome = outcomes[index]
      if (!outcome) job.reject(new Error('turn was not written'))
      else if ('error' in outcome) job.reject(outcome.error)
      else job.resolve(outcome.isWritten)
    })
    this.afterFlush()
  }

  private afterFlush() {
    if (this.queue.length > 0) return this.schedule()
    for (const resolve of this.drained.splice(0)) resolve()
  }
}
