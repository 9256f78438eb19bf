import type { ScaleRow } from './measure-scale.js'
import type { LoadResult } from './run-load.js'
import type { ProfileSummary } from './summarize-profile.js'

export const scenarioNames = {
  ceiling: 'node:http ceiling',
  continueChat: 'continueChat',
  startChat: 'startChat',
  updateSmall: 'updateTypebot, 3 groups',
  updateLarge: 'updateTypebot, 400 groups',
} as const

export type ScenarioName = (typeof scenarioNames)[keyof typeof scenarioNames]

/** One line of the table: a measured load, or why it could not be measured. */
export type ScenarioRow = { scenario: ScenarioName; connections: number } & ({ result: LoadResult } | { failure: string })

/**
 * RSS at two counts of stored sessions: the counts aimed at, and those reached within the time
 * limit; and the JS heap in use after the same collections, as the server reported it (so that
 * growth can be told apart: live objects, or memory outside them).
 */
export type MemoryResult =
  | {
      goalCounts: readonly [number, number]
      sessionCounts: readonly [number, number]
      rssBytes: readonly [number, number]
      heapUsedBytes?: readonly [number, number]
    }
  | { failure: string }

/** A hostile continueChat answer: how long it took, and the slowest `/api/healthz` meanwhile. */
export type HostileRow = { sizeMb: number } & ({ status: number; replyMs: number; worstHealthzMs: number } | { failure: string })

/** One profiled botflow process: its start-up (spawn to first healthz 200), then continueChat load. */
export type ProfileResult = { startUp: ProfileSummary; load: ProfileSummary }

/** Everything one run measured, and what it ran on. */
export type BenchResults = {
  mode: 'quick' | 'full'
  date: string
  cpuModel: string
  cpuCount: number
  nodeVersion: string
  database: string
  databaseKind: 'sqlite' | 'postgres'
  durationSeconds: number
  rows: ScenarioRow[]
  /** Spawn to first healthz 200 of botflow on an already-migrated database. */
  coldStartMs?: number
  ceilingColdStartMs?: number
  /** VmHWM of the botflow process over the whole load. */
  peakRssBytes?: number
  memory?: MemoryResult
  profile?: ProfileResult | { failure: string }
  hostile?: HostileRow[] | { failure: string }
  /** continueChat and startChat by database and number of workers (`serve --workers N`). */
  scale?: ScaleRow[]
  /** Things the reader must know about this run (a failed set-up, a fallback). */
  notes: string[]
}

export function findRow(results: BenchResults, scenario: ScenarioName, connections: number): LoadResult | undefined {
  const row = results.rows.find((candidate) => candidate.scenario === scenario && candidate.connections === connections)
  return row && 'result' in row ? row.result : undefined
}

/** requests/s of a scenario as a share of the ceiling at the same number of connections. */
export function findCeilingRatio(results: BenchResults, scenario: ScenarioName, connections: number): number | undefined {
  const measured = findRow(results, scenario, connections)
  const ceiling = findRow(results, scenarioNames.ceiling, connections)
  if (!measured || !ceiling || ceiling.requestsPerSecond <= 0) return undefined
  return measured.requestsPerSecond / ceiling.requestsPerSecond
}
