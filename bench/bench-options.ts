import { parseArgs } from 'node:util'

export type BenchOptions = Readonly<{
  isQuick: boolean
  isProfile: boolean
  /** Whether to rewrite the results in BENCHMARKS.md (the printed table is always shown). */
  isWrite: boolean
  durationSeconds: number
  warmUpSeconds: number
  connections: readonly number[]
  updateConnections: readonly number[]
  /** Sessions opened before the load and spread over by continueChat and updateTypebot. */
  openSessions: number
  /** Stored-session counts of the memory phase: RSS at the first vs RSS at the second. */
  memorySessions: readonly [number, number]
  settleMs: number
  /** PostgreSQL server to bench against (a fresh schema per run); SQLite when undefined. */
  postgresUrl?: string
  /** Whether to measure 1 and 2 workers on SQLite, and on PostgreSQL given `scalePostgresUrl`. */
  isScale: boolean
  scalePostgresUrl?: string
}>

export const benchUsage = `
Usage: npm run bench -- [--quick] [--profile] [--duration <seconds>] [--no-write] [--no-scale]

  --quick            about 2 s per load, updateTypebot at 16 connections only, 1,000 vs 10,000
                     stored sessions for memory: the whole run within a minute
  --profile          also run the server under continueChat load with node --cpu-prof and
                     summarise where its time goes
  --duration <s>     seconds per load (default 10, quick 2)
  --no-write         print the results without rewriting BENCHMARKS.md
  --no-scale         skip the scale table (continueChat and startChat with 1 and 2 workers)

BENCH_DATABASE_URL=postgres://... benches PostgreSQL (a fresh schema, dropped at the end).
BENCH_POSTGRES_URL=postgres://... (or BENCH_DATABASE_URL) adds PostgreSQL rows to the scale table.
`

export class BenchUsageError extends Error {
  override readonly name = 'BenchUsageError'
}

/** Flags and environment in, the run's settings out; throws BenchUsageError on a bad flag. */
export function parseBenchOptions(argv: string[], env: Record<string, string | undefined>): BenchOptions | 'help' {
  let parsed: ReturnType<typeof parseBenchArgs>
  try {
    parsed = parseBenchArgs(argv)
  } catch (error) {
    throw new BenchUsageError(error instanceof Error ? error.message : String(error))
  }
  const { values } = parsed
  if (values.help) return 'help'
  const isQuick = values.quick === true
  const durationSeconds = values.duration === undefined ? (isQuick ? 2 : 10) : Number(values.duration)
  if (!Number.isFinite(durationSeconds) || durationSeconds <= 0 || durationSeconds > 600) {
    throw new BenchUsageError('--duration must be a number of seconds between 0 and 600')
  }
  const options: BenchOptions = {
    isQuick,
    isProfile: values.profile === true,
    isWrite: values['no-write'] !== true,
    durationSeconds,
    warmUpSeconds: isQuick ? 0.5 : 2,
    connections: [1, 16, 64],
    updateConnections: isQuick ? [16] : [1, 16, 64],
    openSessions: 256,
    memorySessions: isQuick ? [1_000, 10_000] : [1_000, 100_000],
    settleMs: isQuick ? 1_000 : 3_000,
    postgresUrl: env.BENCH_DATABASE_URL || undefined,
    isScale: values['no-scale'] !== true,
    scalePostgresUrl: env.BENCH_POSTGRES_URL || env.BENCH_DATABASE_URL || undefined,
  }
  return Object.freeze(options)
}

function parseBenchArgs(argv: string[]) {
  return parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      duration: { type: 'string' },
      'no-write': { type: 'boolean', default: false },
      'no-scale': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  })
}
