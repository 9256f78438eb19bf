import { describe, expect, it } from 'vitest'
import { PostgresBatcher } from './postgres-batcher.js'

type Call = { key: string; value: number }

/** A batcher whose statement is a function: it records each batch and doubles the values, failing on a negative one. */
function recordingBatcher(maxInFlight = 1) {
  const batches: string[][] = []
  const batcher = new PostgresBatcher<Call, number>(
    async (calls) => {
      batches.push(calls.map((call) => call.key))
      await new Promise((resolve) => setTimeout(resolve, 5))
      if (calls.some((call) => call.value < 0)) throw new Error('the statement failed')
      return calls.map((call) => call.value * 2)
    },
    { maxInFlight, maxItems: 3, keyOf: (call) => call.key },
  )
  return { batcher, batches }
}

describe('PostgresBatcher', () => {
  it('sends the calls that arrive together as one batch, at most maxItems each, and answers each caller its own outcome', async () => {
    const { batcher, batches } = recordingBatcher()
    const outcomes = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((key, index) => batcher.submit({ key, value: index })))
    expect(outcomes).toEqual([0, 2, 4, 6, 8])
    expect(batches).toEqual([
      ['a', 'b', 'c'],
      ['d', 'e'],
    ])
  })

  it('keeps two calls with one key in different batches, in the order they came', async () => {
    const { batcher, batches } = recordingBatcher()
    const outcomes = await Promise.all([
      batcher.submit({ key: 'a', value: 1 }),
      batcher.submit({ key: 'a', value: 2 }),
      batcher.submit({ key: 'b', value: 3 }),
    ])
    expect(outcomes).toEqual([2, 4, 6])
    expect(batches).toEqual([['a', 'b'], ['a']])
  })

  it('runs a failed batch again call by call: only the failing call is refused', async () => {
    const { batcher, batches } = recordingBatcher()
    const outcomes = await Promise.allSettled([1, -1, 3].map((value, index) => batcher.submit({ key: `k${index}`, value })))
    expect(outcomes.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value : 'refused'))).toEqual([2, 'refused', 6])
    expect(batches[0]).toEqual(['k0', 'k1', 'k2'])
    expect(batches.slice(1).sort()).toEqual([['k0'], ['k1'], ['k2']])
  })

  it('starts the next batch while one is on the wire when maxInFlight allows', async () => {
    const { batcher, batches } = recordingBatcher(2)
    const first = batcher.submit({ key: 'a', value: 1 })
    await new Promise((resolve) => setImmediate(resolve))
    const second = batcher.submit({ key: 'b', value: 2 })
    await new Promise((resolve) => setImmediate(resolve))
    // Both batches went out before the first (5 ms) came back.
    expect(batches).toEqual([['a'], ['b']])
    expect(await Promise.all([first, second])).toEqual([2, 4])
  })
})
