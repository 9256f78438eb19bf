import type { FastifyServerOptions } from 'fastify'
import { createChatService } from './chat-service.js'
import type { Config } from './config.js'
import { buildApp } from './http/app.js'
import { createStore } from './storage/create-store.js'
import type { Store } from './storage/store.js'

export type Server = {
  app: Awaited<ReturnType<typeof buildApp>>
  store: Store
  /** Stops accepting, finishes in-flight requests, closes the database. */
  close(): Promise<void>
}

/** Composition root shared by `botflow serve` and the tests: config -> store -> services -> app. */
export async function createServer(config: Config, options: { logger?: FastifyServerOptions['logger'] } = {}): Promise<Server> {
  const store = await createStore(config.database)
  const chat = await createChatService({ store, effects: config.effects })
  const app = await buildApp({ store, chat, bodyLimit: config.bodyLimit, logger: options.logger })
  return {
    app,
    store,
    async close() {
      await app.close()
      await chat.close()
      await store.close()
    },
  }
}
