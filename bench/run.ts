/**
 * `npm run bench`: botflow against the bare node:http ceiling of this machine, on the loads of
 * issue 5; prints the table and the targets, and writes them into BENCHMARKS.md.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createBenchOwner } from './bench-api.js'
import { createBenchDatabase } from './bench-database.js'
import { type BenchOptions, BenchUsageError, benchUsage, parseBenchOptions } from './bench-options.js'
import { type BenchContext, describeError, measureBotflow, measureCeiling, measureMemory, measureProfile } from './bench-phases.js'
import type { BenchResults } from './bench-results.js'
import { checkTargets } from './check-targets.js'
import { formatProfileSection, formatResultsSection, formatScaleSection, replaceSection } from './format-report.js'
import { measureHostile } from './measure-hostile.js'
import { measureScale } from './measure-scale.js'
import { resolveServerEntry } from './resolve-server-entry.js'

const projectRoot = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '')
const runStartedAt = performance.now()
const log = (line: string) => process.stderr.write(`[${((performance.now() - runStartedAt) / 1000).toFixed(1).padStart(5)} s] ${line}\n`)

async function main(): Promise<number> {
  let options: BenchOptions | 'help'
  try {
    options = parseBenchOptions(process.argv.slice(2), process.env)
  } catch (error) {
    if (!(error instanceof BenchUsageError)) throw error
    log(`bench: ${error.message}\n${benchUsage.trim()}`)
    return 2
  }
  if (options === 'help') {
    process.stdout.write(`${benchUsage.trim()}\n`)
    return 0
  }
  // Read before the build and the loads, which raise it themselves.
  const loadAverage = loadavg()[0] ?? 0
  const entry = resolveServerEntry(projectRoot, log)
  const context: BenchContext = { options, projectRoot, serverArgs: entry.args, log }
  const cpuList = cpus()
  const mainDatabase = await createBenchDatabase(options.postgresUrl)
  const results: BenchResults = {
    mode: options.isQuick ? 'quick' : 'full',
    date: `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    cpuModel: cpuList[0]?.model.trim() ?? 'unknown CPU',
    cpuCount: cpuList.length,
    nodeVersion: process.version,
    database: mainDatabase.label,
    databaseKind: mainDatabase.kind,
    durationSeconds: options.durationSeconds,
    rows: [],
    notes: [...entry.notes],
  }
  if (loadAverage > cpuList.length / 2) {
    results.notes.push(
      `The machine was busy when the run started (load average ${loadAverage.toFixed(1)} on ${cpuList.length} cores): other processes took CPU from the servers and from the load generator, so every figure is skewed.`,
    )
  }
  if (options.isQuick) {
    results.notes.push(
      `Quick mode: memory compares ${options.memorySessions.map((count) => count.toLocaleString('en-US')).join(' vs ')} stored sessions, updateTypebot runs at 16 connections only.`,
    )
  }
  let profileSection: string | undefined
  try {
    log('Ceiling: bare node:http server...')
    const ceiling = await measureCeiling(context)
    results.rows.push(...ceiling.rows)
    results.ceilingColdStartMs = ceiling.coldStartMs

    log(`botflow on ${mainDatabase.label}...`)
    const owner = await createBenchOwner(mainDatabase.url)
    const botflow = await measureBotflow(context, mainDatabase, owner)
    results.rows.push(...botflow.rows)
    results.coldStartMs = botflow.coldStartMs
    results.peakRssBytes = botflow.peakRssBytes

    if (options.isProfile) {
      log('Profiling botflow under continueChat load (node --cpu-prof)...')
      results.profile = await measureProfile(context, mainDatabase, botflow.loopSessionIds).catch((error: unknown) => ({
        failure: describeError(error),
      }))
      profileSection = formatProfileSection(
        results.profile,
        `Profile of ${results.date} (${results.mode} mode): one botflow process run with \`node --cpu-prof\` on ${mainDatabase.label}; the load is continueChat at 16 connections for ${options.durationSeconds} s (its warm-up left out). Self time is the time spent in a function's own code, not in what it calls; native code that V8 does not see as a function of its own counts as self time of its JavaScript caller (better-sqlite3's C++ work shows under Kysely's \`executeQuery\` and better-sqlite3's \`prepare\`).`,
      )
    }
  } finally {
    await mainDatabase.drop()
  }

  const memoryDatabase = await createBenchDatabase(options.postgresUrl)
  try {
    log('Memory with stored sessions...')
    results.memory = await measureMemory(context, memoryDatabase, await createBenchOwner(memoryDatabase.url)).catch((error: unknown) => ({
      failure: describeError(error),
    }))
  } finally {
    await memoryDatabase.drop()
  }

  const hostileDatabase = await createBenchDatabase(options.postgresUrl)
  try {
    log('Hostile messages...')
    results.hostile = await measureHostile(context, hostileDatabase, await createBenchOwner(hostileDatabase.url)).catch(
      (error: unknown) => ({
        failure: describeError(error),
      }),
    )
  } finally {
    await hostileDatabase.drop()
  }

  if (options.isScale) {
    log('Scale: 1 and 2 workers...')
    results.scale = await measureScale(context, options.scalePostgresUrl)
  }

  const resultsSection = formatResultsSection(results)
  const scaleSection = results.scale && formatScaleSection(results)
  process.stdout.write(`\n${resultsSection}\n${scaleSection ? `\n${scaleSection}\n` : ''}${profileSection ? `\n${profileSection}\n` : ''}`)
  const checks = checkTargets(results)
  const failing = checks.filter((check) => check.verdict !== 'PASS' && check.verdict !== 'N/A')
  process.stdout.write(
    `\n${checks.length - failing.length} of ${checks.length} targets pass; run took ${Math.round((performance.now() - runStartedAt) / 1000)} s.\n`,
  )
  if (options.isWrite) {
    const file = join(projectRoot, 'BENCHMARKS.md')
    let markdown = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n'
    markdown = replaceSection(markdown, 'results', 'Results', resultsSection)
    if (scaleSection) markdown = replaceSection(markdown, 'scale', 'Scale: workers and PostgreSQL', scaleSection)
    if (profileSection) markdown = replaceSection(markdown, 'profile', 'Where the time goes', profileSection)
    writeFileSync(file, markdown)
    log(`Wrote ${file}`)
  }
  return 0
}

main().then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    log(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
    process.exitCode = 1
  },
)
