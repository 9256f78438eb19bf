import { describe, expect, it } from 'vitest'
import { BenchUsageError, parseBenchOptions } from './bench-options.js'

describe('parseBenchOptions', () => {
  it.each([
    { argv: [], expected: { durationSeconds: 10, updateConnections: [1, 16, 64], memorySessions: [1_000, 100_000], isWrite: true } },
    { argv: ['--quick'], expected: { durationSeconds: 2, updateConnections: [16], memorySessions: [1_000, 10_000] } },
    { argv: ['--quick', '--duration', '3'], expected: { durationSeconds: 3 } },
    { argv: ['--no-write', '--profile'], expected: { isWrite: false, isProfile: true } },
    { argv: [], expected: { isScale: true } },
    { argv: ['--no-scale'], expected: { isScale: false } },
  ])('reads $argv', ({ argv, expected }) => {
    expect(parseBenchOptions(argv, {})).toMatchObject(expected)
  })

  it('benches PostgreSQL when BENCH_DATABASE_URL is set', () => {
    expect(parseBenchOptions([], { BENCH_DATABASE_URL: 'postgres://localhost/bench' })).toMatchObject({
      postgresUrl: 'postgres://localhost/bench',
    })
    expect(parseBenchOptions([], { BENCH_DATABASE_URL: '' })).toMatchObject({ postgresUrl: undefined })
  })

  it('adds PostgreSQL to the scale table with BENCH_POSTGRES_URL, and keeps the main run on SQLite', () => {
    expect(parseBenchOptions([], { BENCH_POSTGRES_URL: 'postgres://localhost/scale' })).toMatchObject({
      postgresUrl: undefined,
      scalePostgresUrl: 'postgres://localhost/scale',
    })
  })

  it.each([['--duration', '0'], ['--duration', 'ten'], ['--fast']])('refuses %s %s', (...argv) => {
    expect(() => parseBenchOptions(argv, {})).toThrow(BenchUsageError)
  })
})
