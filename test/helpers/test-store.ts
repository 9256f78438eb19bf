import { afterAll, beforeAll } from 'vitest'
import { parseConfig } from '../../src/config.js'
import { createStore } from '../../src/storage/create-store.js'
import type { Store } from '../../src/storage/store.js'
import { createTestDatabase, type TestDatabase } from './start-server.js'

/**
 * The Store of a test file, on a database of its own (SQLite, or PostgreSQL when TEST_DATABASE_URL
 * is set): opened before the file's tests (and its own beforeAll hooks), closed and dropped after
 * them. The value returned stands for it from then on; using it earlier throws.
 */
export function useTestStore(): Store {
  let database: TestDatabase | undefined
  let opened: Store | undefined
  beforeAll(async () => {
    database = await createTestDatabase()
    opened = await createStore(parseConfig({ DATABASE_URL: database.url }).database)
  })
  afterAll(async () => {
    await opened?.close()
    await database?.drop()
  })
  return new Proxy({} as Store, {
    get(_target, key) {
      if (!opened) throw new Error('The test store opens in beforeAll: use it inside hooks and tests')
      return Reflect.get(opened, key)
    },
  })
}
