import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { HttpRequestSpec, HttpResponseResult } from '../engine/types.js'
import { guessValueType } from '../engine/variables.js'
import type { Sandbox, ScriptFetch } from './sandbox.js'
import { createSandbox } from './sandbox.js'

let sandbox: Sandbox

beforeAll(() => {
  sandbox = createSandbox({ timeoutMs: 500, memoryLimitBytes: 16 * 1024 * 1024 })
})
afterAll(() => sandbox.close())

const noFetch: ScriptFetch = async () => ({ statusCode: 500, data: null, error: 'no network in this test' })

describe('runCode', () => {
  it.each([
    ['an expression', 'return 6 * 7', {}, 42],
    [
      'globals bound by name',
      'return statusCode + ":" + data.items[1].id',
      { statusCode: 200, data: { items: [{ id: 'a' }, { id: 'b' }] } },
      '200:b',
    ],
    [
      'guessed variable values',
      'return vAge + 1 + (vFlag ? "!" : "?") + vPhone',
      { vAge: guessValueType('30'), vFlag: guessValueType('true'), vPhone: guessValueType('0612') },
      '31!0612',
    ],
    ['lists as arrays', 'return vList.at(-1)', { vList: guessValueType(['a', null, 'c']) }, 'c'],
    ['a global without value', 'return typeof vEmpty', { vEmpty: undefined }, 'undefined'],
    ['a name like __proto__ as a plain global', 'return globalThis["__proto__"] === 5', Object.fromEntries([['__proto__', 5]]), true],
    ['await', 'return await Promise.resolve("later")', {}, 'later'],
    ['objects, JSON round-tripped', 'return { a: [1, 2], f() {}, n: 10n }', {}, { a: [1, 2], n: '10' }],
  ])('evaluates %s', async (_title, code, globals, expected) => {
    expect(await sandbox.runCode(code, globals)).toEqual({ ok: true, value: expected })
  })

  it.each([
    ['a function', 'return () => 1'],
    ['nothing', 'const x = 1'],
  ])('returns undefined for %s', async (_title, code) => {
    expect(await sandbox.runCode(code, {})).toEqual({ ok: true, value: undefined })
  })

  it.each([
    ['a thrown error', 'throw new TypeError("bad input")', 'TypeError: bad input'],
    ['a thrown string', 'throw "plain"', 'plain'],
    ['an unknown name', 'return missing', "ReferenceError: 'missing' is not defined"],
    ['a rejected promise', 'return Promise.reject(new Error("no"))', 'Error: no'],
    ['a promise that never settles', 'await new Promise(() => {})', 'The code waits for a promise that never settles'],
  ])('reports %s', async (_title, code, error) => {
    expect(await sandbox.runCode(code, {})).toEqual({ ok: false, error })
  })

  it('reports a syntax error', async () => {
    const result = await sandbox.runCode('return 1 +', {})
    expect(result.ok).toBe(false)
    expect(!result.ok && result.error).toMatch(/^SyntaxError/)
  })

  it.each([
    ['an infinite loop', 'while (true) {}'],
    ['a loop that swallows the interruption', 'for (;;) { try { while (true) {} } catch (e) {} }'],
  ])('stops %s at the deadline', async (_title, code) => {
    const startedAt = Date.now()
    expect(await sandbox.runCode(code, {})).toEqual({ ok: false, error: 'The code took longer than 0.5 seconds and was stopped' })
    expect(Date.now() - startedAt).toBeLessThan(2_000)
  })

  it.each([
    ['a growing string', 'let s = "x"; while (true) s += s'],
    ['a huge buffer', 'return new ArrayBuffer(64 * 1024 * 1024).byteLength'],
    ['a growing array', 'const a = []; while (true) a.push("item " + a.length)'],
  ])('refuses %s beyond the memory limit', async (_title, code) => {
    const result = await sandbox.runCode(code, {})
    expect(result.ok).toBe(false)
    expect(!result.ok && result.error).toMatch(/out of memory|string too long|took longer|more memory than allowed/)
  })

  it.each([
    ['process', 'return typeof process'],
    ['require', 'return typeof require'],
    ['the Function constructor escape', 'return globalThis.constructor.constructor("return typeof process")()'],
    ['the constructor of a function', 'return (() => 0).constructor("return typeof require")()'],
    ['fetch', 'return typeof fetch'],
  ])('gives no access to Node through %s', async (_title, code) => {
    expect(await sandbox.runCode(code, {})).toEqual({ ok: true, value: 'undefined' })
  })

  it('reaches no process through the Function constructor', async () => {
    expect(await sandbox.runCode('return globalThis.constructor.constructor("return process")()', {})).toEqual({
      ok: false,
      error: "ReferenceError: 'process' is not defined",
    })
  })

  it('cannot import modules', async () => {
    const result = await sandbox.runCode('const fs = await import("node:fs"); return typeof fs.readFileSync', {})
    expect(result.ok).toBe(false)
  })

  it('does not let one run see what another left behind', async () => {
    expect(await sandbox.runCode('globalThis.leftover = 1; Object.prototype.polluted = 2; return 1', {})).toEqual({ ok: true, value: 1 })
    expect(await sandbox.runCode('return typeof leftover + typeof ({}).polluted', {})).toEqual({ ok: true, value: 'undefinedundefined' })
  })

  it('survives code nested deeply enough to overflow the host stack', async () => {
    const deep = `return ${'['.repeat(100_000)}${']'.repeat(100_000)}`
    expect((await sandbox.runCode(deep, {})).ok).toBe(false)
    expect(await sandbox.runCode('return 1 + 1', {})).toEqual({ ok: true, value: 2 })
  })
})

describe('runServerScript', () => {
  const variables = [
    { id: 'vName', name: 'Name', value: 'John' },
    { id: 'vAge', name: 'Age', value: 30 },
  ]

  it('collects setVariable calls by name, values as the script built them', async () => {
    const result = await sandbox.runServerScript(
      'setVariable("Greeting", "Hi " + vName); setVariable("Next age", vAge + 1); setVariable("Profile", { name: vName })',
      variables,
      { fetch: noFetch },
    )
    expect(result).toEqual({
      type: 'runServerScript',
      ok: true,
      variablesToSet: [
        { name: 'Greeting', value: 'Hi John' },
        { name: 'Next age', value: 31 },
        { name: 'Profile', value: { name: 'John' } },
      ],
    })
  })

  it('resolves fetch to the response text and passes method, headers and body on', async () => {
    const requests: HttpRequestSpec[] = []
    const fetch: ScriptFetch = async (request) => {
      requests.push(request)
      return { statusCode: 200, data: { ok: true }, text: '{"ok":true}' }
    }
    const result = await sandbox.runServerScript(
      'const text = await fetch("https://api.example.com/items", { method: "post", headers: { "X-Key": "k" }, body: JSON.stringify({ a: 1 }) }); setVariable("Response", text)',
      variables,
      { fetch },
    )
    expect(result).toEqual({ type: 'runServerScript', ok: true, variablesToSet: [{ name: 'Response', value: '{"ok":true}' }] })
    expect(requests).toEqual([
      { url: 'https://api.example.com/items', method: 'POST', headers: { 'X-Key': 'k' }, body: '{"a":1}', timeoutMs: expect.any(Number) },
    ])
    expect(requests[0]!.timeoutMs).toBeLessThanOrEqual(500)
  })

  it('rejects fetch with the refusal message when the request was not sent', async () => {
    const refusal: HttpResponseResult = {
      statusCode: 400,
      data: { message: 'Security validation failed: Host localhost is blocked' },
      error: 'Security validation failed: Host localhost is blocked',
    }
    const result = await sandbox.runServerScript(
      'try { await fetch("http://localhost/") } catch (error) { setVariable("Error", error.message) }',
      [],
      { fetch: async () => refusal },
    )
    expect(result.variablesToSet).toEqual([{ name: 'Error', value: 'Security validation failed: Host localhost is blocked' }])
  })

  it('limits how many requests one script can send', async () => {
    let sent = 0
    const fetch: ScriptFetch = async () => {
      sent++
      return { statusCode: 200, data: '', text: '' }
    }
    // Fifty round trips to the main thread: more time than the other tests give a script.
    const patient = createSandbox({ timeoutMs: 10_000 })
    const result = await patient.runServerScript('for (let i = 0; i < 100; i++) await fetch("https://api.example.com/" + i)', [], { fetch })
    await patient.close()
    expect(result).toMatchObject({ ok: false, error: 'Error: A script may call fetch at most 50 times' })
    expect(sent).toBe(50)
  })

  it('keeps the updates made before an exception and reports it', async () => {
    const result = await sandbox.runServerScript('setVariable("Before", 1); throw new Error("boom")', [], { fetch: noFetch })
    expect(result).toEqual({ type: 'runServerScript', ok: false, variablesToSet: [{ name: 'Before', value: 1 }], error: 'Error: boom' })
  })

  it('stops a script waiting on a slow request at the deadline', async () => {
    const slowFetch: ScriptFetch = () => new Promise((resolve) => setTimeout(() => resolve({ statusCode: 200, data: '', text: '' }), 2_000))
    const startedAt = Date.now()
    const result = await sandbox.runServerScript('await fetch("https://slow.example.com"); setVariable("Late", 1)', [], {
      fetch: slowFetch,
    })
    expect(result).toEqual({
      type: 'runServerScript',
      ok: false,
      variablesToSet: [],
      error: 'The code took longer than 0.5 seconds and was stopped',
    })
    expect(Date.now() - startedAt).toBeLessThan(1_500)
  })

  it('stops an infinite loop', async () => {
    const result = await sandbox.runServerScript('while (true) {}', [], { fetch: noFetch })
    expect(result.ok).toBe(false)
  })

  it('gives no access to Node', async () => {
    const result = await sandbox.runServerScript(
      'setVariable("Kinds", [typeof process, typeof require, globalThis.constructor.constructor("return typeof process")()])',
      [],
      { fetch: noFetch },
    )
    expect(result.variablesToSet).toEqual([{ name: 'Kinds', value: ['undefined', 'undefined', 'undefined'] }])
  })
})
