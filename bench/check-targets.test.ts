import { describe, expect, it } from 'vitest'
import { type BenchResults, type ScenarioName, type ScenarioRow, scenarioNames } from './bench-results.js'
import { checkTargets } from './check-targets.js'
import type { LoadResult } from './run-load.js'

const megabyte = 1024 * 1024

function row(scenario: ScenarioName, overrides: Partial<LoadResult> = {}): ScenarioRow {
  const result: LoadResult = {
    connections: 16,
    requestsPerSecond: 1_000,
    totalRequests: 10_000,
    p50Ms: 5,
    p99Ms: 12,
    meanMs: 6,
    errors: 0,
    errorKinds: '',
    succeeded: 10_000,
    ...overrides,
  }
  return { scenario, connections: 16, result }
}

/** A run that meets every target: ceiling 10,000 req/s at 16 connections. */
function passingRun(overrides: Partial<BenchResults> = {}): BenchResults {
  return {
    mode: 'full',
    date: '2025-01-01 00:00 UTC',
    cpuModel: 'Test CPU',
    cpuCount: 2,
    nodeVersion: 'v20.0.0',
    database: 'SQLite',
    databaseKind: 'sqlite',
    durationSeconds: 10,
    rows: [
      row(scenarioNames.ceiling, { requestsPerSecond: 10_000 }),
      row(scenarioNames.continueChat, { requestsPerSecond: 1_200 }),
      row(scenarioNames.startChat, { requestsPerSecond: 800 }),
      row(scenarioNames.updateSmall, { meanMs: 4 }),
      row(scenarioNames.updateLarge, { meanMs: 8 }),
    ],
    coldStartMs: 1_499,
    memory: { goalCounts: [1_000, 100_000], sessionCounts: [1_000, 100_000], rssBytes: [100 * megabyte, 150 * megabyte] },
    notes: [],
    ...overrides,
  }
}

function verdicts(results: BenchResults): Record<string, string> {
  return Object.fromEntries(checkTargets(results).map((check) => [check.target, check.verdict]))
}

function replaceRow(results: BenchResults, replacement: ScenarioRow): BenchResults {
  return { ...results, rows: results.rows.map((candidate) => (candidate.scenario === replacement.scenario ? replacement : candidate)) }
}

describe('checkTargets', () => {
  it('passes a run at exactly the limits of every target', () => {
    expect(Object.values(verdicts(passingRun()))).toEqual(Array(7).fill('PASS'))
  })

  it.each([
    {
      name: 'continueChat under 12% of the ceiling',
      change: (run: BenchResults) => replaceRow(run, row(scenarioNames.continueChat, { requestsPerSecond: 1_199 })),
      target: 'continueChat >= 12.0% of the ceiling',
    },
    {
      name: 'a continueChat p99 over 20 ms',
      change: (run: BenchResults) => replaceRow(run, row(scenarioNames.continueChat, { p99Ms: 21, requestsPerSecond: 1_200 })),
      target: 'continueChat p99 <= 20 ms',
    },
    {
      name: 'one continueChat error',
      change: (run: BenchResults) => replaceRow(run, row(scenarioNames.continueChat, { errors: 1, requestsPerSecond: 1_200 })),
      target: 'continueChat: zero errors',
    },
    {
      name: 'startChat under 8%',
      change: (run: BenchResults) => replaceRow(run, row(scenarioNames.startChat, { requestsPerSecond: 799 })),
      target: 'startChat >= 8.0% of the ceiling',
    },
    {
      name: 'a 400-group update over 2x the 3-group one',
      change: (run: BenchResults) => replaceRow(run, row(scenarioNames.updateLarge, { meanMs: 8.1 })),
      target: 'updateTypebot: 400 groups within 2x the time of 3 groups',
    },
    {
      name: 'memory growing by more than 50 MB',
      change: (run: BenchResults) => ({
        ...run,
        memory: {
          goalCounts: [1_000, 100_000] as const,
          sessionCounts: [1_000, 100_000] as const,
          rssBytes: [100 * megabyte, 151 * megabyte] as const,
        },
      }),
      target: 'RSS with 100,000 sessions <= RSS with 1,000 + 50 MB',
    },
    { name: 'a 1.5 s cold start', change: (run: BenchResults) => ({ ...run, coldStartMs: 1_500 }), target: 'cold start < 1.5 s' },
  ])('fails on $name, and only that target', ({ change, target }) => {
    const failing = Object.entries(verdicts(change(passingRun()))).filter(([, verdict]) => verdict !== 'PASS')
    expect(failing).toEqual([[target, 'FAIL']])
  })

  it('says what was not measured instead of passing or failing it', () => {
    const run = passingRun({ rows: [row(scenarioNames.ceiling)], coldStartMs: undefined, memory: { failure: 'no /proc' } })
    expect(new Set(Object.values(verdicts(run)))).toEqual(new Set(['NOT MEASURED']))
  })

  it('does not pass the memory target on fewer sessions than aimed at', () => {
    const run = passingRun({
      memory: { goalCounts: [1_000, 100_000], sessionCounts: [1_000, 40_000], rssBytes: [100 * megabyte, 110 * megabyte] },
    })
    expect(verdicts(run)['RSS with 100,000 sessions <= RSS with 1,000 + 50 MB']).toBe('NOT MEASURED')
  })

  it('holds PostgreSQL to 8% for continueChat and leaves the SQLite-only targets out', () => {
    const run = replaceRow(passingRun({ databaseKind: 'postgres' }), row(scenarioNames.continueChat, { requestsPerSecond: 800, p99Ms: 50 }))
    const result = verdicts(replaceRow(run, row(scenarioNames.startChat, { requestsPerSecond: 100 })))
    expect(result['continueChat >= 8.0% of the ceiling']).toBe('PASS')
    expect(result['continueChat p99 <= 20 ms']).toBe('N/A')
    expect(result['startChat >= 8.0% of the ceiling']).toBe('N/A')
  })
})
