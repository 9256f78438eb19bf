import { defineConfig } from 'vitest/config'

/**
 * Three projects: `npm run test:unit` runs the first alone. Test files share their worker's
 * module graph (`isolate: false`): importing zod, Fastify, Kysely and the engine once per file
 * was ~70% of the suite's time. Tests keep no state in modules, and every HTTP test starts its
 * own server and database, so sharing modules changes nothing they observe.
 */
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    isolate: false,
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
