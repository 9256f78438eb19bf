import { parseConfig } from '../config.js'
import { createStore } from '../storage/create-store.js'
import type { Store } from '../storage/store.js'

/** Opens the database of DATABASE_URL (migrating it, as the server does) for one command. */
export async function withStore<T>(env: Record<string, string | undefined>, action: (store: Store) => Promise<T>): Promise<T> {
  const config = parseConfig(env)
  const store = await createStore(config.database, { poolSize: 1 })
  try {
    return await action(store)
  } finally {
    await store.close()
  }
}
