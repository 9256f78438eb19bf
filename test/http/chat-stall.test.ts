/**
 * Attacks on a running server, from a stranger (answers, prefilled variables) or a bot author
 * (code, loops): each runs against botflow in its own process while a second client polls
 * `/api/healthz`, which must keep answering within a second, and the process must survive.
 */
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ApiResponse, createApiClient } from '../helpers/api-client.js'
import { type ChatClient, createChatClient, textsOf } from '../helpers/chat-conversation.js'
import { importAndPublish } from '../helpers/chat-fixtures.js'
import { buildTypebot, type TestBlock, text, textInput } from '../helpers/flow-builder.js'
import { startChildServer } from '../helpers/start-child-server.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { createTestUser } from '../helpers/users.js'

const SANDBOX_TIMEOUT_MS = 2_000
const TURN_TIMEOUT_MS = 4_000
// Generous: an unrelated request waits a few milliseconds when nothing blocks the server.
const HEALTHZ_BOUND_MS = 1_000

let setup: TestServer
let child: Awaited<ReturnType<typeof startChildServer>>
let chat: ChatClient

const setVariable = (id: string, variableId: string, expression: string): TestBlock => ({
  id,
  type: 'Set variable',
  options: { variableId, expressionToEvaluate: expression, isCode: true },
})
const jumpTo = (id: string, groupId: string): TestBlock => ({ id, type: 'Jump', options: { groupId } })
const serverScript = (id: string, content: string): TestBlock => ({ id, type: 'Code', options: { content, isExecutedOnClient: false } })

const variables = [
  { id: 'vOut', name: 'Out' },
  { id: 'vAnswer', name: 'Answer' },
]

function bot(blocks: TestBlock[]) {
  return buildTypebot({ variables, groups: [{ id: 'g1', title: 'Attack', blocks: [...blocks, textInput('end', 'vAnswer')] }] })
}

function loopBot(blocks: TestBlock[]) {
  return buildTypebot({
    variables,
    groups: [
      { id: 'g0', title: 'Start', blocks: [text('t0', 'Start')], next: 'g1' },
      { id: 'g1', title: 'Loop', blocks: [...blocks, jumpTo('jump', 'g1')] },
    ],
  })
}

const echoBot = buildTypebot({
  variables,
  groups: [{ id: 'g1', title: 'Echo', blocks: [textInput('ask', 'vAnswer'), text('echo', '{{Answer}}')], next: 'g1' }],
})

beforeAll(async () => {
  setup = await startTestServer()
  const owner = await createTestUser(setup)
  await importAndPublish(owner, [
    { fixture: bot([setVariable('s1', 'vOut', 'while (true) {}\nreturn 1'), text('t1', 'After the loop')]), publicId: 'spin' },
    { fixture: loopBot([setVariable('s1', 'vOut', 'while (true) {}\nreturn 1')]), publicId: 'spin-loop' },
    { fixture: bot([text('t1', 'Result: {{= while (true) {} =}}')]), publicId: 'spin-inline' },
    {
      fixture: bot([setVariable('s1', 'vOut', 'const a = []\nfor (;;) a.push(new Array(100000).fill(1.5))\nreturn a.length')]),
      publicId: 'memory-bomb',
    },
    {
      fixture: bot([serverScript('c1', 'for (let i = 0; i < 100; i++) setVariable("Out", "x".repeat(8000000))'), text('t1', 'After')]),
      publicId: 'set-variable-bomb',
    },
    { fixture: loopBot([setVariable('s1', 'vOut', 'return "x".repeat(8000000)'), text('t1', '{{Out}}')]), publicId: 'big-bubble-loop' },
    { fixture: echoBot, publicId: 'echo' },
    { fixture: bot([text('t1', '{{Answer}}')]), publicId: 'show-answer' },
  ])
  const databaseUrl =
    setup.config.database.kind === 'sqlite' ? `file:${setup.config.database.filename}` : setup.config.database.connectionString
  child = await startChildServer({
    DATABASE_URL: databaseUrl,
    ...(setup.config.encryptionSecret ? { ENCRYPTION_SECRET: setup.config.encryptionSecret } : {}),
    SANDBOX_TIMEOUT_MS: String(SANDBOX_TIMEOUT_MS),
    TURN_TIMEOUT_MS: String(TURN_TIMEOUT_MS),
    // 9 MB answers need more than the default chat body limit.
    CHAT_BODY_LIMIT: String(16 * 1024 * 1024),
    BODY_LIMIT: String(16 * 1024 * 1024),
    RATE_LIMIT: 'off',
  })
  chat = createChatClient(createApiClient(child.url))
  // Two servers start here, one in another process: slow on a busy machine.
}, 120_000)

afterAll(async () => {
  await child?.stop()
  await setup?.close()
})

/** Runs the attack while polling healthz; the slowest healthz answer comes back with the attack's outcome. */
async function duringAttack<T>(attack: () => Promise<T>): Promise<{ outcome: T; slowestHealthzMs: number; attackMs: number }> {
  let isRunning = true
  let slowestHealthzMs = 0
  const poll = (async () => {
    while (isRunning) {
      const startedAt = performance.now()
      const response = await fetch(`${child.url}/api/healthz`)
      await response.arrayBuffer()
      slowestHealthzMs = Math.max(slowestHealthzMs, performance.now() - startedAt)
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
  })()
  const startedAt = performance.now()
  try {
    const outcome = await attack()
    const attackMs = performance.now() - startedAt
    isRunning = false
    // The poll in flight counts too: it may be the one the attack held up.
    await poll
    return { outcome, slowestHealthzMs, attackMs }
  } finally {
    isRunning = false
  }
}

function peakRssBytes(): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8')
  const kilobytes = /VmHWM:\s+(\d+) kB/.exec(status)?.[1]
  return Number(kilobytes) * 1024
}

async function expectServing() {
  const response = await fetch(`${child.url}/api/healthz`)
  expect(response.status).toBe(200)
}

function errorLogs(result: ApiResponse): string[] {
  return (result.body.logs ?? [])
    .filter((log: { status: string }) => log.status === 'error')
    .map((log: { description: string }) => log.description)
}

describe('user code runs off the main thread', () => {
  it('keeps answering while a Set variable spins forever', async () => {
    const { outcome, slowestHealthzMs, attackMs } = await duringAttack(() => chat.start('spin'))
    expect(attackMs).toBeGreaterThan(SANDBOX_TIMEOUT_MS * 0.9)
    expect(slowestHealthzMs).toBeLessThan(HEALTHZ_BOUND_MS)
    expect(outcome.status).toBe(200)
    expect(textsOf(outcome)).toEqual(['After the loop'])
    expect(errorLogs(outcome)).toEqual([expect.stringContaining(`${SANDBOX_TIMEOUT_MS / 1000} seconds`)])
  })

  it('ends a Jump loop around a spinning Set variable at the turn budget, with 408', async () => {
    const { outcome, slowestHealthzMs, attackMs } = await duringAttack(() => chat.start('spin-loop'))
    expect(outcome.status).toBe(408)
    expect(outcome.body).toMatchObject({ code: 'TIMEOUT', message: `${TURN_TIMEOUT_MS / 1000} seconds timeout reached` })
    expect(attackMs).toBeLessThan(TURN_TIMEOUT_MS + SANDBOX_TIMEOUT_MS + 2_000)
    expect(slowestHealthzMs).toBeLessThan(HEALTHZ_BOUND_MS)
  })

  it('keeps answering while inline code in a bubble spins forever', async () => {
    const { outcome, slowestHealthzMs } = await duringAttack(() => chat.start('spin-inline'))
    expect(slowestHealthzMs).toBeLessThan(HEALTHZ_BOUND_MS)
    expect(outcome.status).toBe(200)
    expect(textsOf(outcome)[0]).toContain('Result: ')
  })

  it('refuses a memory bomb: the process stays small and keeps serving', async () => {
    const { outcome, slowestHealthzMs } = await duringAttack(() => chat.start('memory-bomb'))
    expect(slowestHealthzMs).toBeLessThan(HEALTHZ_BOUND_MS)
    expect(outcome.status).toBe(200)
    expect(errorLogs(outcome)).toEqual([expect.stringMatching(/memory/)])
    expect(peakRssBytes()).toBeLessThan(1024 * 1024 * 1024)
    await expectServing()
  })

  it('stops a server script that sets 8 MB values in a loop, without crashing', async () => {
    const { outcome, slowestHealthzMs } = await duringAttack(() => chat.start('set-variable-bomb'))
    expect(slowestHealthzMs).toBeLessThan(HEALTHZ_BOUND_MS)
    expect(outcome.status).toBe(200)
    expect(textsOf(outcome)).toEqual(['After'])
    // Stopped by the transfer limit (16 MB), or by the time limit on a busy machine.
    expect(errorLogs(outcome)).toEqual([expect.stringMatching(/setVariable|took longer/)])
    await expectServing()
  })
})

describe('a turn has an output budget', () => {
  it('ends a Jump loop over an 8 MB bubble with 408 instead of walking 5,000 blocks', async () => {
    const { outcome, slowestHealthzMs } = await duringAttack(() => chat.start('big-bubble-loop'))
    expect(outcome.status).toBe(408)
    expect(outcome.body.code).toBe('TIMEOUT')
    expect(slowestHealthzMs).toBeLessThan(HEALTHZ_BOUND_MS)
  })
})

describe('text from users costs linear time', () => {
  const hostile = '_a'.repeat(200_000)

  it('shows "_a" x 200,000 sent with continueChat without stalling the server', async () => {
    const started = await chat.start('echo')
    const { outcome, slowestHealthzMs } = await duringAttack(() => chat.reply(started.body.sessionId, hostile))
    expect(slowestHealthzMs).toBeLessThan(HEALTHZ_BOUND_MS)
    expect(outcome.status).toBe(200)
    expect(textsOf(outcome)[0]).toBe(hostile)
  })

  it('shows "_a" x 200,000 given as a prefilled variable without stalling the server', async () => {
    const { outcome, slowestHealthzMs } = await duringAttack(() => chat.start('show-answer', { prefilledVariables: { Answer: hostile } }))
    expect(slowestHealthzMs).toBeLessThan(HEALTHZ_BOUND_MS)
    expect(outcome.status).toBe(200)
    expect(textsOf(outcome)[0]).toBe(hostile)
  })

  it('shows a 9 MB answer in a bubble (no 500)', async () => {
    const answer = `${'**bold** _it_ [link](x) > quote\n'.repeat(290_000)}`.slice(0, 9 * 1024 * 1024)
    const started = await chat.start('echo')
    const { outcome, slowestHealthzMs } = await duringAttack(() => chat.reply(started.body.sessionId, answer))
    // Parsing, storing and sending 9 MB is linear work on the main thread (a few hundred ms on an
    // idle machine): the bound is looser, the point is no stack overflow and no superlinear stall.
    expect(slowestHealthzMs).toBeLessThan(3 * HEALTHZ_BOUND_MS)
    expect(outcome.status).toBe(200)
    expect(textsOf(outcome)[0]).toBe(answer)
  })
})
