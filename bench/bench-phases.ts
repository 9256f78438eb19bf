import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { pathToFileURL } from 'node:url'
import { type BenchOwner, createBenchApi } from './bench-api.js'
import type { BenchDatabase } from './bench-database.js'
import { buildLargeFlow, buildLoopFlow } from './bench-flows.js'
import type { BenchOptions } from './bench-options.js'
import { type MemoryResult, type ProfileResult, type ScenarioName, type ScenarioRow, scenarioNames } from './bench-results.js'
import { readProcessMemory } from './process-memory.js'
import { type LoadSpec, runLoad } from './run-load.js'
import { type ServerProcess, startServerProcess } from './server-process.js'
import { type CpuProfile, type ProfileWindow, summarizeProfile } from './summarize-profile.js'

export type BenchContext = {
  options: BenchOptions
  projectRoot: string
  /** node arguments that run `botflow serve`. */
  serverArgs: string[]
  log(line: string): void
}

/** A load shape without its connection count and duration. */
type RequestShape = Pick<LoadSpec, 'method' | 'paths' | 'body' | 'headers'>

const loopPublicId = 'bench-loop'
const largePublicId = 'bench-large'
const replyBody = JSON.stringify({ message: 'hello' })

const continueChatPaths = (sessionIds: readonly string[]) => sessionIds.map((id) => `/api/v1/sessions/${id}/continueChat`)

/** The ceiling: the continueChat request shape against a bare node:http server. */
export async function measureCeiling(context: BenchContext): Promise<{ rows: ScenarioRow[]; coldStartMs: number }> {
  const server = await startServerProcess({ args: [join(context.projectRoot, 'bench/ceiling-server.mjs')], env: {}, healthPath: '/' })
  try {
    const fakeSessionIds = Array.from({ length: context.options.openSessions }, (_, index) => `ceiling${String(index).padStart(17, '0')}`)
    const shape: RequestShape = { method: 'POST', paths: continueChatPaths(fakeSessionIds), body: replyBody }
    const rows = await measureScenario(context, server, scenarioNames.ceiling, context.options.connections, shape)
    return { rows, coldStartMs: server.coldStartMs }
  } finally {
    await server.stop()
  }
}

export type BotflowMeasures = { rows: ScenarioRow[]; coldStartMs?: number; peakRssBytes?: number; loopSessionIds: string[] }

/**
 * Starts botflow on the database, publishes the two flows, opens the sessions, then loads
 * continueChat, updateTypebot (3 and 400 groups) and startChat, in that order: startChat runs last
 * because the sessions it creates would grow the tables under the other loads.
 */
export async function measureBotflow(context: BenchContext, database: BenchDatabase, owner: BenchOwner): Promise<BotflowMeasures> {
  const { options } = context
  const server = await startBotflow(context, database)
  const measures: BotflowMeasures = { rows: [], coldStartMs: server.coldStartMs, loopSessionIds: [] }
  try {
    const api = createBenchApi(server.url, owner)
    const setUp = async () => {
      context.log(`Publishing the flows and opening ${options.openSessions} sessions on each...`)
      const loopId = await api.publishFlow(buildLoopFlow(), loopPublicId)
      const largeId = await api.publishFlow(buildLargeFlow(), largePublicId)
      const loopSessionIds = await api.openSessions(loopPublicId, options.openSessions)
      const largeSessionIds = await api.openSessions(largePublicId, options.openSessions)
      await api.continueChat(loopSessionIds[0]!, 'hello')
      return { loopId, largeId, loopSessionIds, largeSessionIds }
    }
    const setUpResult = await setUp().catch((error: unknown) => ({ failure: describeError(error) }))
    if ('failure' in setUpResult) {
      const failure = `set-up failed: ${setUpResult.failure}`
      for (const scenario of [scenarioNames.continueChat, scenarioNames.updateSmall, scenarioNames.updateLarge, scenarioNames.startChat])
        measures.rows.push({ scenario, connections: 16, failure })
      return measures
    }
    const { loopId, largeId, loopSessionIds, largeSessionIds } = setUpResult
    measures.loopSessionIds = loopSessionIds

    const continueShape: RequestShape = { method: 'POST', paths: continueChatPaths(loopSessionIds), body: replyBody }
    measures.rows.push(...(await measureScenario(context, server, scenarioNames.continueChat, options.connections, continueShape)))

    // A new published version, so the first update of each session really moves it to another version.
    const republished = await Promise.all([
      api.republish(loopId, buildLoopFlow('Welcome back to the benchmark bot.')),
      api.republish(largeId, buildLargeFlow(400, 'Welcome back to the benchmark bot.')),
    ]).then(
      () => undefined,
      (error: unknown) => describeError(error),
    )
    const updateShape = (sessionIds: string[]): RequestShape => ({
      method: 'POST',
      paths: sessionIds.map((id) => `/api/v1/sessions/${id}/updateTypebot`),
      body: '{}',
      headers: { authorization: `Bearer ${owner.token}` },
    })
    for (const [scenario, sessionIds] of [
      [scenarioNames.updateSmall, loopSessionIds],
      [scenarioNames.updateLarge, largeSessionIds],
    ] as const) {
      if (republished !== undefined) measures.rows.push({ scenario, connections: 16, failure: `republishing failed: ${republished}` })
      else
        measures.rows.push(...(await measureScenario(context, server, scenario, options.updateConnections, updateShape([...sessionIds]))))
    }

    const startShape: RequestShape = { method: 'POST', paths: [`/api/v1/typebots/${loopPublicId}/startChat`], body: '{}' }
    measures.rows.push(...(await measureScenario(context, server, scenarioNames.startChat, options.connections, startShape)))
    measures.peakRssBytes = readProcessMemory(server.pid)?.peakRssBytes
    return measures
  } finally {
    await server.stop()
  }
}

/**
 * RSS of a fresh botflow with few vs many stored sessions, created with startChat at 64
 * connections; each reading follows a pause and a full garbage collection (the server gets a
 * preloaded SIGUSR2 handler), so that it counts what the process keeps, not uncollected garbage.
 */
export async function measureMemory(context: BenchContext, database: BenchDatabase, owner: BenchOwner): Promise<MemoryResult> {
  const { options } = context
  const collectOnSignal = pathToFileURL(join(context.projectRoot, 'bench/collect-garbage-on-signal.mjs')).href
  const reportDir = mkdtempSync(join(tmpdir(), 'botflow-bench-memory-'))
  const reportFile = join(reportDir, 'memory-usage.json')
  const server = await startBotflow(context, database, ['--expose-gc', '--import', collectOnSignal], { BENCH_MEMORY_REPORT: reportFile })
  try {
    const api = createBenchApi(server.url, owner)
    await api.publishFlow(buildLoopFlow(), loopPublicId)
    const shape: RequestShape = { method: 'POST', paths: [`/api/v1/typebots/${loopPublicId}/startChat`], body: '{}' }
    const counts: number[] = []
    const rssBytes: number[] = []
    const heapUsedBytes: (number | undefined)[] = []
    let stored = 0
    const deadline = performance.now() + (options.isQuick ? 25_000 : 400_000)
    for (const target of options.memorySessions) {
      context.log(`Storing sessions: ${target.toLocaleString('en-US')}...`)
      // Repeated until the count is reached: a request that failed or timed out stored nothing (as far as we know).
      while (stored < target && performance.now() < deadline) {
        const maxSeconds = (deadline - performance.now()) / 1000
        const created = await runLoad(
          server.url,
          { ...shape, connections: 64, durationSeconds: 0, amount: Math.max(64, target - stored), maxSeconds },
          server.pid,
        )
        stored += created.succeeded
      }
      await sleep(options.settleMs)
      // A full collection first: what is read is what the process keeps, not the load's garbage.
      rmSync(reportFile, { force: true })
      process.kill(server.pid, 'SIGUSR2')
      await sleep(500)
      heapUsedBytes.push(readHeapUsed(reportFile))
      const memory = readProcessMemory(server.pid)
      if (!memory) return { failure: 'no /proc/<pid>/status on this system' }
      counts.push(stored)
      rssBytes.push(memory.rssBytes)
    }
    if (counts[0]! < options.memorySessions[0])
      return { failure: `only ${counts[0]} of ${options.memorySessions[0]} sessions could be stored within the time limit` }
    const [fewerHeap, moreHeap] = heapUsedBytes
    return {
      goalCounts: options.memorySessions,
      sessionCounts: [counts[0]!, counts[1]!],
      rssBytes: [rssBytes[0]!, rssBytes[1]!],
      ...(fewerHeap !== undefined && moreHeap !== undefined ? { heapUsedBytes: [fewerHeap, moreHeap] as const } : {}),
    }
  } finally {
    await server.stop()
    rmSync(reportDir, { recursive: true, force: true })
  }
}

/** `heapUsed` from the server's report of `process.memoryUsage()`; undefined when it wrote none (yet). */
function readHeapUsed(reportFile: string): number | undefined {
  try {
    const heapUsed: unknown = JSON.parse(readFileSync(reportFile, 'utf8')).heapUsed
    return typeof heapUsed === 'number' ? heapUsed : undefined
  } catch {
    return undefined
  }
}

/**
 * botflow with `node --cpu-prof`: self time by function and area during its start-up (to the
 * first healthz 200), and under continueChat load at 16 connections (the warm-up left out).
 */
export async function measureProfile(context: BenchContext, database: BenchDatabase, loopSessionIds: string[]): Promise<ProfileResult> {
  if (loopSessionIds.length === 0) throw new Error('no sessions to continue (the set-up failed)')
  const profileDir = mkdtempSync(join(tmpdir(), 'botflow-bench-profile-'))
  try {
    const server = await startBotflow(context, database, ['--cpu-prof', '--cpu-prof-dir', profileDir])
    let loadWindow: ProfileWindow
    const startUpWindow: ProfileWindow = { fromUs: 0, toUs: server.healthyAtUs }
    try {
      const shape: RequestShape = { method: 'POST', paths: continueChatPaths(loopSessionIds), body: replyBody }
      await runLoad(server.url, { ...shape, connections: 16, durationSeconds: context.options.warmUpSeconds })
      const fromUs = readMonotonicUs()
      context.log('continueChat at 16 connections, profiled...')
      await runLoad(server.url, { ...shape, connections: 16, durationSeconds: context.options.durationSeconds })
      loadWindow = { fromUs, toUs: readMonotonicUs() }
    } finally {
      await server.stop()
    }
    const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'))
    if (!file) throw new Error('the server wrote no .cpuprofile (did it exit cleanly on SIGTERM?)')
    const profile: CpuProfile = JSON.parse(readFileSync(join(profileDir, file), 'utf8'))
    return {
      startUp: summarizeProfile(profile, context.projectRoot, startUpWindow, 10),
      load: summarizeProfile(profile, context.projectRoot, loadWindow),
    }
  } finally {
    rmSync(profileDir, { recursive: true, force: true })
  }
}

const readMonotonicUs = () => Number(process.hrtime.bigint() / 1000n)

/** PostgreSQL needs ENCRYPTION_SECRET (credentials are sealed with it); SQLite generates a key file. */
const benchEncryptionSecret = 'botflow-bench-encryption-secret-0123456789'

export function startBotflow(
  context: BenchContext,
  database: BenchDatabase,
  nodeFlags: string[] = [],
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  const secret: Record<string, string> = database.kind === 'postgres' ? { ENCRYPTION_SECRET: benchEncryptionSecret } : {}
  return startServerProcess({
    args: [...nodeFlags, ...context.serverArgs],
    env: { DATABASE_URL: database.url, LOG_LEVEL: 'silent', BOTFLOW_DEMO: 'false', ...secret, ...env },
    healthPath: '/api/healthz',
  })
}

/** A short unrecorded warm-up (JIT, caches), then one load per connection count; a failed load becomes a row saying why. */
async function measureScenario(
  context: BenchContext,
  server: ServerProcess,
  scenario: ScenarioName,
  connectionCounts: readonly number[],
  shape: RequestShape,
): Promise<ScenarioRow[]> {
  const rows: ScenarioRow[] = []
  try {
    await runLoad(server.url, { ...shape, connections: 16, durationSeconds: context.options.warmUpSeconds })
  } catch (error) {
    return connectionCounts.map((connections) => ({ scenario, connections, failure: describeError(error) }))
  }
  for (const connections of connectionCounts) {
    context.log(`${scenario} at ${connections} connection${connections === 1 ? '' : 's'}...`)
    try {
      rows.push({
        scenario,
        connections,
        result: await runLoad(server.url, { ...shape, connections, durationSeconds: context.options.durationSeconds }, server.pid),
      })
    } catch (error) {
      rows.push({ scenario, connections, failure: describeError(error) })
    }
  }
  return rows
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
