import { afterEach, describe, expect, it } from 'vitest'
import type { Sandbox, SandboxEvent, SandboxOptions } from './sandbox.js'
import { createSandbox } from './sandbox.js'

const noFetch = async () => ({ statusCode: 500, data: null, error: 'no network in this test' })

let sandbox: Sandbox | undefined
let events: SandboxEvent[] = []

function start(options: SandboxOptions = {}): Sandbox {
  events = []
  sandbox = createSandbox({ timeoutMs: 300, workers: 1, onEvent: (event) => events.push(event), ...options })
  return sandbox
}

afterEach(async () => {
  await sandbox?.close()
  sandbox = undefined
})

// QuickJS does not check its interrupt handler while a regular expression backtracks.
const catastrophicRegex = 'return /(x+x+)+y/.test("x".repeat(40))'

describe('sandbox worker pool', () => {
  it('stops code that cannot be interrupted by replacing its worker, and goes on serving', async () => {
    const pool = start()
    await pool.runCode('return 1', {})
    const startedAt = Date.now()
    expect(await pool.runCode(catastrophicRegex, {})).toEqual({ ok: false, error: 'The code took longer than 0.3 seconds and was stopped' })
    expect(Date.now() - startedAt).toBeLessThan(2_000)
    expect(await pool.runCode('return 6 * 7', {})).toEqual({ ok: true, value: 42 })
    expect(events.map((event) => event.outcome)).toEqual(['ok', 'timeout', 'ok'])
  })

  it('refuses memory beyond the limit, whatever QuickJS counts, and goes on serving', async () => {
    const pool = start({ timeoutMs: 5_000, memoryLimitBytes: 32 * 1024 * 1024 })
    const result = await pool.runCode('const a = []; for (;;) a.push(new Array(100000).fill(1.5))', {})
    expect(result.ok).toBe(false)
    expect(!result.ok && result.error).toMatch(/out of memory|more memory than allowed/)
    expect(await pool.runCode('return "still here"', {})).toEqual({ ok: true, value: 'still here' })
  })

  it('refuses a result larger than the transfer limit', async () => {
    const pool = start({ maxTransferChars: 1_000 })
    expect(await pool.runCode('return "x".repeat(5000)', {})).toEqual({ ok: false, error: "The code's result is larger than 1 KB" })
    expect(await pool.runCode('return "x".repeat(500)', {})).toEqual({ ok: true, value: 'x'.repeat(500) })
  })

  it('stops a script whose setVariable values exceed the transfer limit, keeping the ones before', async () => {
    const pool = start({ maxTransferChars: 1_000 })
    const result = await pool.runServerScript('for (;;) setVariable("Big", "x".repeat(600))', [], { fetch: noFetch })
    expect(result).toEqual({
      type: 'runServerScript',
      ok: false,
      variablesToSet: [{ name: 'Big', value: 'x'.repeat(600) }],
      error: 'Error: setVariable: the values set by one script may not exceed 1 KB',
    })
  })

  it('queues calls while its workers are busy and answers every one', async () => {
    const pool = start({ workers: 2 })
    const results = await Promise.all(Array.from({ length: 6 }, (_, index) => pool.runCode('return n * 2', { n: index })))
    expect(results).toEqual([0, 2, 4, 6, 8, 10].map((value) => ({ ok: true, value })))
  })

  it('refuses calls beyond the queue bound instead of piling them up', async () => {
    const pool = start({ queuePerWorker: 1 })
    const calls = Array.from({ length: 4 }, () => pool.runCode('while (true) {}', {}))
    const results = await Promise.all(calls)
    expect(results.filter((result) => !result.ok && result.error.includes('busy'))).toHaveLength(3)
    expect(events.filter((event) => event.outcome === 'busy')).toHaveLength(3)
  })

  it('does not start a call whose turn has no time left', async () => {
    const pool = start()
    expect(await pool.runCode('return 1', {}, { deadline: Date.now() - 1 })).toMatchObject({ ok: false })
    expect(events.map((event) => event.outcome)).toEqual(['timeout'])
  })

  it('answers a fetch of a server script from the main thread', async () => {
    const pool = start()
    const result = await pool.runServerScript('setVariable("Text", await fetch("https://example.com/data"))', [], {
      fetch: async (request) => ({ statusCode: 200, data: null, text: `fetched ${request.url}` }),
    })
    expect(result).toEqual({
      type: 'runServerScript',
      ok: true,
      variablesToSet: [{ name: 'Text', value: 'fetched https://example.com/data' }],
    })
  })
})
