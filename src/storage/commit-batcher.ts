import { sql, type Kysely, type Transaction } from 'kysely'
import type { TurnRecords } from '../engine/types.js'
import type { Database } from './database.js'
import type { SessionWrite } from './store.js'
import { isUniqueViolation, writeRecords, writeSession } from './write-turn.js'

type Job = {
  write: SessionWrite
  records: TurnRecords
  lastChatSessionId: string | undefined
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
  private running: Promise<void> | undefined
  private isScheduled = false

  constructor(private readonly db: Kysely<Database>) {}

  commit(write: SessionWrite, records: TurnRecords, lastChatSessionId: string | undefined): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ write, records, lastChatSessionId, resolve, reject })
      this.schedule()
    })
  }

  /** Resolves once every queued turn is committed (used on shutdown). */
  async drain(): Promise<void> {
    while (this.running || this.queue.length > 0 || this.isScheduled) {
      await (this.running ?? new Promise((resolve) => setImmediate(resolve)))
    }
  }

  private schedule() {
    if (this.isScheduled || this.running) return
    this.isScheduled = true
    // setImmediate lets the requests already in flight reach commit() and join this batch.
    setImmediate(() => {
      this.isScheduled = false
      this.running = this.flush().finally(() => {
        this.running = undefined
        if (this.queue.length > 0) this.schedule()
      })
    })
  }

  private async flush(): Promise<void> {
    const jobs = this.queue.splice(0, maxJobsPerBatch)
    const outcomes: ({ isWritten: boolean } | { error: unknown })[] = []
    try {
      await this.db.transaction().execute(async (trx) => {
        for (const job of jobs) outcomes.push(await runInSavepoint(trx, job))
      })
    } catch (error) {
      for (const job of jobs) job.reject(error)
      return
    }
    jobs.forEach((job, index) => {
      const outcome = outcomes[index]
      if (!outcome) job.reject(new Error('turn was not written'))
      else if ('error' in outcome) job.reject(outcome.error)
      else job.resolve(outcome.isWritten)
    })
  }
}

async function runInSavepoint(trx: Transaction<Database>, job: Job): Promise<{ isWritten: boolean } | { error: unknown }> {
  await sql`savepoint turn`.execute(trx)
  try {
    const isWritten = await writeSession(trx, job.write)
    if (isWritten) await writeRecords(trx, job.records, job.lastChatSessionId)
    else await sql`rollback to savepoint turn`.execute(trx)
    await sql`release savepoint turn`.execute(trx)
    return { isWritten }
  } catch (error) {
    await sql`rollback to savepoint turn`.execute(trx)
    await sql`release savepoint turn`.execute(trx)
    // A racing creator of the same session id lost: a conflict, not a crash.
    if (job.write.kind === 'create' && isUniqueViolation(error)) return { isWritten: false }
    return { error }
  }
}
