import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'

/**
 * Three projects: `npm run test:unit` runs the first alone. Test files share their worker's
 * module graph (`isolate: false`): importing zod, Fastify, Kysely and the engine once per file
 * was ~70% of the suite's time. Tests keep no state in modules, and every HTTP test starts its
 * own server and database, so sharing modules changes nothing they observe.
 *
 * At least two workers: vitest's default (one less than the cores) runs the suite file by file
 * on a 2-core machine, where most files spend their time waiting on child processes, sockets and
 * timers (220 s there against 155 s with two workers; four workers were slower again, 191 s).
 */
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    isolate: false,
    maxWorkers: Math.max(2, availableParallelism() - 1),
    globalSetup: ['test/helpers/postgres-schemas.global.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'src/**/*.test.ts',
            'test/schemas/**/*.test.ts',
            'test/scripts/**/*.test.ts',
            'test/docs/**/*.test.ts',
            'test/architecture/**/*.test.ts',
            'bench/**/*.test.ts',
          ],
          pool: 'threads',
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/http/**/*.test.ts', 'test/cli/**/*.test.ts', 'test/storage/**/*.test.ts'],
          pool: 'forks',
        },
      },
      { extends: true, test: { name: 'browser', include: ['test/browser/**/*.test.ts'], pool: 'forks' } },
    ],
  },
})
