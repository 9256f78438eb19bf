import type { FastifyServerOptions } from 'fastify'
import { createChatService } from './chat/chat-service.js'
import type { Config } from './config.js'
import { type EncryptionKeySource, loadEncryptionKey } from './credentials/encryption-key.js'
import { createSecretCipher } from './credentials/secret-cipher.js'
import { buildApp } from './http/app.js'
import { createStore } from './storage/create-store.js'
import type { Store } from './storage/store.js'
import { createFileStorage } from './uploads/create-file-storage.js'

export type Server = {
  app: Awaited<ReturnType<typeof buildApp>>
  store: Store
  /** Where the key that seals credentials comes from (the start-up banner shows it). */
  encryptionKey: EncryptionKeySource
  /** Stops accepting, finishes in-flight requests, closes the database. */
  close(): Promise<void>
}

/** Composition root shared by `botflow serve` and the tests: config -> store -> services -> app. */
export type ServerOptions = {
  logger?: FastifyServerOptions['logger']
  /** The chat clock; tests move it forward to expire sessions. */
  now?: () => number
}

export async function createServer(config: Config, options: ServerOptions = {}): Promise<Server> {
  // Before the database: a PostgreSQL server without ENCRYPTION_SECRET stops here with the reason.
  const encryptionKey = loadEncryptionKey(config)
  const cipher = createSecretCipher(encryptionKey.key)
  const store = await createStore(config.database)
  const sessionTtlMs = config.sessionTtlHours === undefined ? undefined : config.sessionTtlHours * 3_600_000
  const files = createFileStorage(config.uploads)
  const now = options.now ?? Date.now
  const uploads = { storage: files, maxFileSizeMb: config.uploads.maxFileSizeMb }
  const chat = await createChatService({
    store,
    cipher,
    effects: config.effects,
    turnLimits: config.turnLimits,
    sessionTtlMs,
    now,
    uploads,
    smtp: config.smtp,
    stripeApiBase: config.stripeApiBase,
  })
  const app = await buildApp({
    store,
    chat,
    cipher,
    bodyLimit: config.bodyLimit,
    logger: options.logger,
    files,
    publicUrl: config.publicUrl,
    maxUploadBytes: config.uploads.maxFileSizeMb * 1024 * 1024,
    now,
  })
  return {
    app,
    store,
    encryptionKey: encryptionKey.source,
    async close() {
      await app.close()
      await chat.close()
      await store.close()
    },
  }
}
