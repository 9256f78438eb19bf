import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { AppError } from '../errors.js'
import type { SessionRecord, SessionWrite, Store, TurnRecordsWithControl } from '../storage/store.js'

/** How long a request waits for a session another request works on before it gets a 409 (README). */
export const sessionBusyWaitMs = 10_000
/** A lease outlives a crashed process by at most this; a live holder renews it a third of the way in. */
const leaseTtlMs = 15_000
const firstRetryMs = 2
const maxRetryMs = 50

/** A session held by this request: read by the statement that took the lease, released by its write. */
export type SessionLease = {
  readonly owner: string
  /** The session as the lease found it; undefined when there is no such session. */
  readonly session: SessionRecord | undefined
  /** `Store.commitTurn`, releasing the lease in the same statement when the write matches its row version. */
  commit(write: SessionWrite, records: TurnRecordsWithControl, options?: { lastChatSessionId?: string }): Promise<boolean>
  /** Reads the session again, still leased (after losing a row-version race to a writer without the lease). */
  reload(): Promise<SessionRecord | undefined>
}

export type SessionLockOptions = { busyWaitMs?: number }

/**
 * Serialises work on one session across every process that shares the database, so racing replies
 * wait their turn instead of failing. In this process, a queue per session (one request per process
 * polls the database); across processes, a lease on the session row taken by the statement that reads
 * it and released by the turn's write. The row version in `Store.commitTurn` stays the last guard.
 */
export class SessionLock {
  private readonly tails = new Map<string, Promise<unknown>>()
  private readonly busyWaitMs: number

  constructor(
    private readonly store: Store,
    options: SessionLockOptions = {},
  ) {
    this.busyWaitMs = options.busyWaitMs ?? sessionBusyWaitMs
  }

  /** Sessions a request of this process works on or waits for; none once their turns are done, so memory does not grow with sessions. */
  get busySessionCount(): number {
    return this.tails.size
  }

  async run<T>(sessionId: string, task: (lease: SessionLease) => Promise<T>): Promise<T> {
    const deadline = performance.now() + this.busyWaitMs
    const previous = this.tails.get(sessionId) ?? Promise.resolve()
    const current = previous.then(
      () => this.runLeased(sessionId, deadline, task),
      () => this.runLeased(sessionId, deadline, task),
    )
    const tail = current.catch(() => undefined)
    this.tails.set(sessionId, tail)
    try {
      return await current
    } finally {
      if (this.tails.get(sessionId) === tail) this.tails.delete(sessionId)
    }
  }

  private async runLeased<T>(sessionId: string, deadline: number, task: (lease: SessionLease) => Promise<T>): Promise<T> {
    const owner = randomUUID()
    const session = await this.waitForLease(sessionId, owner, deadline)
    // No session: nothing to lease or release.
    if (!session) return task(this.toLease(sessionId, owner, undefined, () => undefined))
    let isReleased = false
    const renewal = setInterval(() => {
      void this.store.renewSessionLease(sessionId, owner, leaseTtlMs).catch(() => undefined)
    }, leaseTtlMs / 3)
    renewal.unref()
    try {
      return await task(
        this.toLease(sessionId, owner, session, () => {
          isReleased = true
        }),
      )
    } finally {
      clearInterval(renewal)
      if (!isReleased) await this.store.releaseSessionLease(sessionId, owner).catch(() => undefined)
    }
  }

  private async waitForLease(sessionId: string, owner: string, deadline: number): Promise<SessionRecord | undefined> {
    let delayMs = firstRetryMs
    for (;;) {
      if (performance.now() > deadline) throw new AppError('CONFLICT', 'The session is busy with another request; try again')
      const found = await this.store.leaseSession(sessionId, owner, leaseTtlMs)
      if (found !== 'busy') return found
      // Jitter keeps two processes from polling in step.
      await sleep(delayMs * (0.5 + Math.random()))
      delayMs = Math.min(delayMs * 2, maxRetryMs)
    }
  }

  private toLease(sessionId: string, owner: string, session: SessionRecord | undefined, onReleased: () => void): SessionLease {
    const { store } = this
    return {
      owner,
      session,
      async commit(write, records, options) {
        const isWritten = await store.commitTurn(write.kind === 'create' ? write : { ...write, leaseOwner: owner }, records, options)
        // A delete or an update that matched its row version took the lease with it.
        if (isWritten && write.kind !== 'create') onReleased()
        return isWritten
      },
      async reload() {
        const found = await store.leaseSession(sessionId, owner, leaseTtlMs)
        // Only after this process stalled past the lease's lifetime can another request hold it now.
        if (found === 'busy') throw new AppError('CONFLICT', 'The session is busy with another request; try again')
        return found
      },
    }
  }
}
