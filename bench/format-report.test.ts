import { describe, expect, it } from 'vitest'
import { type BenchResults, scenarioNames } from './bench-results.js'
import { formatResultsSection, formatScaleSection, replaceSection } from './format-report.js'

describe('replaceSection', () => {
  it('replaces only what is between the markers, keeping the prose around them', () => {
    const markdown = '# Benchmarks\n\nIntro.\n\n<!-- bench:results:start -->\nold table\n<!-- bench:results:end -->\n\nHow to read it.\n'
    expect(replaceSection(markdown, 'results', 'Results', 'new table\n')).toBe(
      '# Benchmarks\n\nIntro.\n\n<!-- bench:results:start -->\nnew table\n<!-- bench:results:end -->\n\nHow to read it.\n',
    )
  })

  it('leaves the other sections alone', () => {
    const markdown =
      '<!-- bench:profile:start -->\nprofile\n<!-- bench:profile:end -->\n<!-- bench:results:start -->\nold\n<!-- bench:results:end -->\n'
    expect(replaceSection(markdown, 'results', 'Results', 'new')).toContain(
      '<!-- bench:profile:start -->\nprofile\n<!-- bench:profile:end -->',
    )
  })

  it('appends the section under its heading when the file has no markers yet', () => {
    expect(replaceSection('# Benchmarks\n', 'profile', 'Where the time goes', 'top functions')).toBe(
      '# Benchmarks\n\n## Where the time goes\n\n<!-- bench:profile:start -->\ntop functions\n<!-- bench:profile:end -->\n',
    )
  })
})

describe('formatScaleSection', () => {
  const load = (requestsPerSecond: number) => ({
    connections: 16,
    requestsPerSecond,
    totalRequests: requestsPerSecond * 10,
    p50Ms: 2,
    p99Ms: 9,
    meanMs: 3,
    errors: 0,
    errorKinds: '',
    succeeded: requestsPerSecond * 10,
  })
  const run = (scale: BenchResults['scale']): BenchResults => ({
    mode: 'full',
    date: '2026-12-06 17:00 UTC',
    cpuModel: 'CPU',
    cpuCount: 2,
    nodeVersion: 'v24',
    database: 'SQLite',
    databaseKind: 'sqlite',
    durationSeconds: 10,
    rows: [{ scenario: scenarioNames.ceiling, connections: 16, result: load(40_000) }],
    scale,
    notes: [],
  })

  it('shows each setup against the ceiling and checks PostgreSQL against 8%', () => {
    const section = formatScaleSection(
      run([
        { database: 'SQLite', workers: 2, continueChat: load(8_000), startChat: load(6_000) },
        { database: 'PostgreSQL', workers: 1, continueChat: load(3_000), startChat: load(2_000) },
      ]),
    )
    expect(section).toContain('| SQLite | 2 | 8,000 | 20.0% | 9 ms | 6,000 | 15.0% | 9 ms | 0 |')
    expect(section).toContain('PostgreSQL continueChat (1 worker) >= 8.0% of the ceiling: 7.5%, FAIL')
  })

  it('says how to add PostgreSQL when it was not measured', () => {
    expect(formatScaleSection(run([{ database: 'SQLite', workers: 1, failure: 'set-up failed' }]))).toContain(
      'PostgreSQL not measured: set BENCH_POSTGRES_URL',
    )
  })
})

describe('formatResultsSection, memory with stored sessions', () => {
  const megabyte = 1024 * 1024
  const run = (memory: BenchResults['memory']): BenchResults => ({
    mode: 'full',
    date: '2026-12-06 20:00 UTC',
    cpuModel: 'CPU',
    cpuCount: 2,
    nodeVersion: 'v24',
    database: 'SQLite',
    databaseKind: 'sqlite',
    durationSeconds: 10,
    rows: [],
    memory,
    notes: [],
  })
  const counts = { goalCounts: [1_000, 100_000], sessionCounts: [1_000, 100_000], rssBytes: [170 * megabyte, 195 * megabyte] } as const

  it('shows the JS heap in use beside the RSS, so that growth outside live objects shows as such', () => {
    const section = formatResultsSection(run({ ...counts, heapUsedBytes: [26.4 * megabyte, 26.7 * megabyte] }))
    expect(section).toContain('(100,000 stored): **195 MB** (+25.0 MB). JS heap in use after the same collections: 26.4 MB -> 26.7 MB')
  })

  it('leaves the heap out when the server did not report it', () => {
    expect(formatResultsSection(run(counts))).not.toContain('JS heap')
  })
})
