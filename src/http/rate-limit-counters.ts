import type { RateLimitCount, RateLimitCounterStore, RateLimitHits } from '../storage/store.js'

/** Hits of one key in one window, as this process knows them. */
type Entry = {
  key: string
  windowStart: number
  windowEnd: number
  max: number
  /** The shared total at the last sync (every process's hits, ours included). */
  shared: number
  /** Our hits not yet in `shared`. */
  pending: number
}

export type RateLimitHit = { current: number; resetInMs: number }

export type RateLimitCountersOptions = {
  store: RateLimitCounterStore
  syncIntervalMs: number
  now?: () => number
}

/** How long ended windows stay in the database: other machines' clocks may lag a little. */
const endedRetentionMs = 60_000

/**
 * Fixed-window counters shared by every process on the database, without a database round trip
 * on the request path. A hit is counted in memory; every `syncIntervalMs` one batch adds this
 * process's new hits to the shared counters (learning the totals of those keys) and reads the keys
 * other processes exhausted. Windows are aligned on the clock, so processes agree on them without
 * talking. One process never admits more than the limit; together they may exceed it by what the
 * others admitted since their last sync (a process learns another's count of a key when it adds
 * its own, and every exhausted key at each sync). A failed sync keeps the local counts for the next.
 */
export class RateLimitCounters {
  private readonly entries = new Map<string, Entry>()
  private readonly now: () => number
  private timer: NodeJS.Timeout | undefined
  private syncing: Promise<void> | undefined
  private lastCleanupAt = 0

  constructor(private readonly options: RateLimitCountersOptions) {
    this.now = options.now ?? Date.now
  }

  /** Counts one request for `key`: how many there were in this window (this one included), and when it ends. */
  hit(key: string, windowMs: number, max: number): RateLimitHit {
    const now = this.now()
    const windowStart = now - (now % windowMs)
    const id = `${windowStart}:${key}`
    let entry = this.entries.get(id)
    if (!entry) {
      entry = { key, windowStart, windowEnd: windowStart + windowMs, max, shared: 0, pending: 0 }
      this.entries.set(id, entry)
    }
    entry.max = max
    entry.pending++
    return { current: entry.shared + entry.pending, resetInMs: entry.windowEnd - now }
  }

  /** Syncs every `syncIntervalMs` until `stop()`; `onError` hears about failed syncs. */
  start(onError: (error: unknown) => void = () => undefined) {
    this.timer ??= setInterval(() => {
      this.sync().catch(onError)
    }, this.options.syncIntervalMs)
    this.timer.unref()
  }

  /** Stops the timer and adds the last hits to the shared counters. */
  async stop() {
    clearInterval(this.timer)
    this.timer = undefined
    await this.sync().catch(() => undefined)
  }

  /** One exchange with the shared counters (a sync already running is awaited instead). */
  sync(): Promise<void> {
    this.syncing ??= this.exchange().finally(() => {
      this.syncing = undefined
    })
    return this.syncing
  }

  private async exchange() {
    const now = this.now()
    const sent = new Map<string, number>()
    const rows: RateLimitHits[] = []
    for (const [id, entry] of this.entries) {
      if (entry.windowEnd <= now) {
        this.entries.delete(id)
      } else if (entry.pending > 0) {
        sent.set(id, entry.pending)
        const { key, windowStart, windowEnd, max, pending } = entry
        rows.push({ key, windowStart, windowEnd, max, hits: pending })
      }
    }
    if (rows.length > 0) {
      const totals = await this.options.store.addHits(rows)
      for (const [id, hits] of sent) {
        const entry = this.entries.get(id)
        if (entry) entry.pending -= hits
      }
      this.learn(totals)
    }
    this.learn(await this.options.store.listExhausted(now))
    if (now - this.lastCleanupAt >= endedRetentionMs) {
      this.lastCleanupAt = now
      await this.options.store.deleteEnded(now - endedRetentionMs)
    }
  }

  /** Totals only grow within a window: the larger of what we knew and what we read wins. */
  private learn(counts: RateLimitCount[]) {
    for (const count of counts) {
      const id = `${count.windowStart}:${count.key}`
      const entry = this.entries.get(id)
      if (entry) entry.shared = Math.max(entry.shared, count.hits)
      else if (count.windowEnd > this.now()) {
        const { key, windowStart, windowEnd, max, hits } = count
        this.entries.set(id, { key, windowStart, windowEnd, max, shared: hits, pending: 0 })
      }
    }
  }
}
