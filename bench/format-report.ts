import { type BenchResults, findCeilingRatio, type ProfileResult, scenarioNames } from './bench-results.js'
import { checkTargets, percent, postgresContinueRatio } from './check-targets.js'
import type { LoadResult } from './run-load.js'
import type { ProfileSummary } from './summarize-profile.js'

const megabyte = 1024 * 1024

/** The generated "Results" part of BENCHMARKS.md (also what the run prints). */
export function formatResultsSection(results: BenchResults): string {
  const lines: string[] = []
  lines.push(
    `Run of ${results.date}, ${results.mode === 'quick' ? '`--quick` mode (short loads: indicative only)' : 'full mode'}: ` +
      `${results.cpuCount} x ${results.cpuModel}, Node ${results.nodeVersion}, ${results.database}, ` +
      `${results.durationSeconds} s per load, autocannon in the benchmark process, each server in its own process.`,
    '',
    '| Scenario | Connections | Requests/s | p50 | p99 | vs ceiling | Errors | Peak RSS |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  )
  for (const row of results.rows) {
    if ('failure' in row) {
      lines.push(`| ${row.scenario} | ${row.connections} | not measured: ${escapeCell(row.failure)} | | | | | |`)
      continue
    }
    const { result } = row
    const ratio = findCeilingRatio(results, row.scenario, row.connections)
    lines.push(
      `| ${row.scenario} | ${row.connections} | ${Math.round(result.requestsPerSecond).toLocaleString('en-US')} | ${result.p50Ms} ms | ${result.p99Ms} ms | ` +
        `${ratio === undefined ? '-' : percent(ratio)} | ${result.errors}${result.errorKinds ? ` (${result.errorKinds})` : ''} | ${formatMegabytes(result.peakRssBytes)} |`,
    )
  }
  lines.push('', ...formatOtherFigures(results), '', '| Target (16 connections) | Measured | Result |', '| --- | --- | --- |')
  for (const check of checkTargets(results)) lines.push(`| ${check.target} | ${check.measured} | ${check.verdict} |`)
  if (results.notes.length > 0) lines.push('', ...results.notes.map((note) => `- ${note}`))
  return lines.join('\n')
}

/** The generated "Scale" part: continueChat and startChat at 16 connections by database and workers. */
export function formatScaleSection(results: BenchResults): string {
  const ceiling = results.rows.find((row) => row.scenario === scenarioNames.ceiling && row.connections === 16)
  const ceilingRate = ceiling && 'result' in ceiling ? ceiling.result.requestsPerSecond : undefined
  const share = (result: LoadResult | undefined) => (result && ceilingRate ? percent(result.requestsPerSecond / ceilingRate) : '-')
  const rate = (result: LoadResult | undefined) => (result ? Math.round(result.requestsPerSecond).toLocaleString('en-US') : '-')
  const lines = [
    `Run of ${results.date}: continueChat and startChat at 16 connections, ${results.durationSeconds} s each, every setup on a fresh database; ` +
      `"vs ceiling" divides by the node:http ceiling of the run above${ceilingRate ? ` (${Math.round(ceilingRate).toLocaleString('en-US')} req/s)` : ''}.`,
    '',
    '| Database | Workers | continueChat req/s | vs ceiling | p99 | startChat req/s | vs ceiling | p99 | Errors |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ]
  for (const row of results.scale ?? []) {
    if (row.failure) {
      lines.push(`| ${row.database} | ${row.workers} | not measured: ${escapeCell(row.failure)} | | | | | | |`)
      continue
    }
    const { continueChat, startChat } = row
    const errors = (continueChat?.errors ?? 0) + (startChat?.errors ?? 0)
    lines.push(
      `| ${row.database} | ${row.workers} | ${rate(continueChat)} | ${share(continueChat)} | ${continueChat ? `${continueChat.p99Ms} ms` : '-'} | ` +
        `${rate(startChat)} | ${share(startChat)} | ${startChat ? `${startChat.p99Ms} ms` : '-'} | ${errors} |`,
    )
  }
  const postgres = results.scale?.find((row) => row.database === 'PostgreSQL' && row.workers === 1)?.continueChat
  if (!postgres) lines.push('', '- PostgreSQL not measured: set BENCH_POSTGRES_URL (or BENCH_DATABASE_URL) to a PostgreSQL server.')
  else if (ceilingRate) {
    const ratio = postgres.requestsPerSecond / ceilingRate
    const verdict = ratio >= postgresContinueRatio ? 'PASS' : 'FAIL'
    lines.push(
      '',
      `- Target: PostgreSQL continueChat (1 worker) >= ${percent(postgresContinueRatio)} of the ceiling: ${percent(ratio)}, ${verdict}.`,
    )
  }
  return lines.join('\n')
}

function formatOtherFigures(results: BenchResults): string[] {
  const lines: string[] = []
  if (results.coldStartMs !== undefined) {
    const ceiling = results.ceilingColdStartMs === undefined ? '' : ` (bare node:http server: ${Math.round(results.ceilingColdStartMs)} ms)`
    lines.push(`- Cold start, process spawn to the first \`GET /api/healthz\` 200: **${Math.round(results.coldStartMs)} ms**${ceiling}.`)
  }
  if (results.peakRssBytes !== undefined)
    lines.push(`- Peak RSS of botflow over all the loads above (VmHWM): **${formatMegabytes(results.peakRssBytes)}**.`)
  const memory = results.memory
  if (memory && 'failure' in memory) lines.push(`- Memory with stored sessions: not measured: ${memory.failure}`)
  else if (memory) {
    const [fewer, more] = memory.sessionCounts
    const growth = (memory.rssBytes[1] - memory.rssBytes[0]) / megabyte
    lines.push(
      `- RSS of a fresh botflow process with ${fewer.toLocaleString('en-US')} stored sessions: **${formatMegabytes(memory.rssBytes[0])}**; ` +
        `after starting ${(more - fewer).toLocaleString('en-US')} more (${more.toLocaleString('en-US')} stored): **${formatMegabytes(memory.rssBytes[1])}** ` +
        `(${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MB).` +
        (memory.heapUsedBytes
          ? ` JS heap in use after the same collections: ${formatMegabytesExactly(memory.heapUsedBytes[0])} -> ${formatMegabytesExactly(memory.heapUsedBytes[1])} (the rest of the RSS is V8's free space, native memory and code).`
          : '') +
        (more < memory.goalCounts[1]
          ? ` Only ${more.toLocaleString('en-US')} of the ${memory.goalCounts[1].toLocaleString('en-US')} sessions aimed at could be stored within the time limit.`
          : ''),
    )
  }
  lines.push(...formatHostile(results))
  return lines
}

function formatHostile(results: BenchResults): string[] {
  const hostile = results.hostile
  if (!hostile) return []
  if ('failure' in hostile) return [`- Hostile messages: not measured: ${hostile.failure}`]
  const parts = hostile.map((row) =>
    'failure' in row
      ? `${row.sizeMb} MB: not measured (${row.failure})`
      : `${row.sizeMb} MB: ${row.status} in ${Math.round(row.replyMs)} ms, healthz at worst ${Math.round(row.worstHealthzMs)} ms`,
  )
  return [
    `- Hostile continueChat answers (Markdown-parser traps shown in a bubble; a second client polls \`/api/healthz\`): ${parts.join('; ')}.`,
  ]
}

/** The generated "where the time goes" part: self time by area and by function, under load then at start-up. */
export function formatProfileSection(profile: ProfileResult | { failure: string }, description: string): string {
  if ('failure' in profile) return `Profile not taken: ${profile.failure}`
  return [
    description,
    '',
    `**Under continueChat load** (busy CPU time sampled: ${(profile.load.busyMs / 1000).toFixed(1)} s; idle: ${percent(profile.load.idleShare)} of the samples):`,
    '',
    formatProfileTables(profile.load),
    '',
    `**Start-up**, from spawn to the first healthz answer (busy: ${Math.round(profile.startUp.busyMs)} ms; idle: ${percent(profile.startUp.idleShare)}):`,
    '',
    formatProfileTables(profile.startUp),
  ].join('\n')
}

function formatProfileTables(profile: ProfileSummary): string {
  const lines = [
    '| Area | Self time | Share of busy time |',
    '| --- | ---: | ---: |',
    ...profile.areas.map((area) => `| ${escapeCell(area.name)} | ${Math.round(area.selfMs)} ms | ${percent(area.share)} |`),
    '',
    '| Function (self time) | Self time | Share of busy time |',
    '| --- | ---: | ---: |',
    ...profile.topFunctions.map((entry) => `| \`${escapeCell(entry.name)}\` | ${Math.round(entry.selfMs)} ms | ${percent(entry.share)} |`),
  ]
  return lines.join('\n')
}

/**
 * Puts `content` between `<!-- bench:NAME:start -->` and `<!-- bench:NAME:end -->`, keeping the
 * hand-written text around it; appends the section under `heading` when the markers are missing.
 */
export function replaceSection(markdown: string, name: string, heading: string, content: string): string {
  const start = `<!-- bench:${name}:start -->`
  const end = `<!-- bench:${name}:end -->`
  const block = `${start}\n${content.trim()}\n${end}`
  const startIndex = markdown.indexOf(start)
  const endIndex = markdown.indexOf(end, startIndex)
  if (startIndex === -1 || endIndex === -1) return `${markdown.trimEnd()}\n\n## ${heading}\n\n${block}\n`
  return `${markdown.slice(0, startIndex)}${block}${markdown.slice(endIndex + end.length)}`
}

function formatMegabytes(bytes: number | undefined): string {
  return bytes === undefined ? '-' : `${(bytes / megabyte).toFixed(0)} MB`
}

function formatMegabytesExactly(bytes: number): string {
  return `${(bytes / megabyte).toFixed(1)} MB`
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ')
}
