/**
 * Rate-limit counters shared through the database: the store's contract, and two processes'
 * counters (two stores on one database) syncing by hand, so the sharing is tested without timers.
 * SQLite always; PostgreSQL when TEST_DATABASE_URL is set (CI).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseConfig } from '../../src/config.js'
import { RateLimitCounters } from '../../src/http/rate-limit-counters.js'
import { createStore } from '../../src/storage/create-store.js'
import type { Store } from '../../src/storage/store.js'
import { createTestDatabase, type TestDatabase } from '../helpers/start-server.js'

const minute = 60_000
/** A clock the tests move: 10 s into a window. */
let now = 1_800_000_000_000 + 10_000
const clock = () => now

let database: TestDatabase
let first: Store
let second: Store
beforeAll(async () => {
  database = await createTestDatabase()
  const config = parseConfig({ DATABASE_URL: database.url }).database
  first = await createStore(config)
  second = await createStore(config)
})
afterAll(async () => {
  await first.close()
  await second.close()
  await database.drop()
})

const windowStart = () => now - (now % minute)

describe('RateLimitCounterStore', () => {
  it('adds hits across calls and stores, and returns the totals', async () => {
    const row = { key: 'contract:a', windowStart: windowStart(), windowEnd: windowStart() + minute, max: 5 }
    expect(await first.rateLimitCounters.addHits([{ ...row, hits: 2 }])).toEqual([{ ...row, hits: 2 }])
    expect(await second.rateLimitCounters.addHits([{ ...row, hits: 3 }])).toEqual([{ ...row, hits: 5 }])
    const other = { ...row, key: 'contract:b', hits: 1 }
    const totals = await first.rateLimitCounters.addHits([{ ...row, hits: 1 }, other])
    expect(totals).toEqual(expect.arrayContaining([{ ...row, hits: 6 }, other]))
  })

  it('lists the counters over their limit in windows not ended, and deletes ended ones', async () => {
    const current = { key: 'contract:exhausted', windowStart: windowStart(), windowEnd: windowStart() + minute, max: 1 }
    const ended = { ...current, windowStart: windowStart() - minute, windowEnd: windowStart() }
    await first.rateLimitCounters.addHits([
      { ...current, hits: 2 },
      { ...ended, hits: 2 },
    ])
    const exhausted = await second.rateLimitCounters.listExhausted(now)
    expect(exhausted).toContainEqual({ ...current, hits: 2 })
    expect(exhausted.map((count) => count.key)).not.toContain('contract:b')
    expect(exhausted).not.toContainEqual(expect.objectContaining({ windowStart: ended.windowStart }))

    expect(await first.rateLimitCounters.deleteEnded(windowStart() + 1)).toBe(1)
    expect(await first.rateLimitCounters.deleteEnded(windowStart() + 1)).toBe(0)
  })

  it('takes thousands of keys in one call', async () => {
    const rows = Array.from({ length: 1_200 }, (_, index) => ({
      key: `contract:many:${index}`,
      windowStart: windowStart(),
      windowEnd: windowStart() + minute,
      max: 10,
      hits: 1,
    }))
    expect(await first.rateLimitCounters.addHits(rows)).toHaveLength(1_200)
  })
})

describe('RateLimitCounters of two processes', () => {
  it('count alone between syncs, then each sees the total of both', async () => {
    const processA = new RateLimitCounters({ store: first.rateLimitCounters, syncIntervalMs: 1_000, now: clock })
    const processB = new RateLimitCounters({ store: second.rateLimitCounters, syncIntervalMs: 1_000, now: clock })
    for (let hit = 1; hit <= 3; hit++) expect(processA.hit('shared:key', minute, 5).current).toBe(hit)
    expect(processB.hit('shared:key', minute, 5).current).toBe(1)

    await processA.sync()
    await processB.sync()
    // B learnt A's 3 hits when it added its own; A learns B's 2 when it next adds hits of that key.
    expect(processB.hit('shared:key', minute, 5).current).toBe(5)
    expect(processA.hit('shared:key', minute, 5).current).toBe(4)
    await processB.sync()
    await processA.sync()
    expect(processA.hit('shared:key', minute, 5).current).toBe(7)
  })

  it('learn the keys another process exhausted before they see them', async () => {
    const processA = new RateLimitCounters({ store: first.rateLimitCounters, syncIntervalMs: 1_000, now: clock })
    const processB = new RateLimitCounters({ store: second.rateLimitCounters, syncIntervalMs: 1_000, now: clock })
    for (let hit = 0; hit < 4; hit++) processA.hit('exhausted:key', minute, 3)
    await processA.sync()
    await processB.sync()
    const onB = processB.hit('exhausted:key', minute, 3)
    expect(onB.current).toBe(5)
    expect(onB.resetInMs).toBe(windowStart() + minute - now)
  })

  it('start again in the next window', async () => {
    const counters = new RateLimitCounters({ store: first.rateLimitCounters, syncIntervalMs: 1_000, now: clock })
    counters.hit('window:key', minute, 1)
    counters.hit('window:key', minute, 1)
    await counters.sync()
    now += minute
    await counters.sync()
    expect(counters.hit('window:key', minute, 1).current).toBe(1)
  })

  it('keep counting in memory when the database cannot be reached, and catch up later', async () => {
    const database = await createTestDatabase()
    const store = await createStore(parseConfig({ DATABASE_URL: database.url }).database)
    const counters = new RateLimitCounters({ store: store.rateLimitCounters, syncIntervalMs: 1_000, now: clock })
    await store.close()
    counters.hit('offline:key', minute, 10)
    await expect(counters.sync()).rejects.toThrow()
    expect(counters.hit('offline:key', minute, 10).current).toBe(2)
    await database.drop()
  })
})
