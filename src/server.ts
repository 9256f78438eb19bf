import type { FastifyServerOptions } from 'fastify'
import { createChatService } from './chat/chat-service.js'
import type { Config } from './config.js'
import { type EncryptionKeySource, loadEncryptionKey } from './credentials/encryption-key.js'
import { createSecretCipher } from './credentials/secret-cipher.js'
import { buildApp, type MetricsEndpoint } from './http/app.js'
import { RateLimitCounters } from './http/rate-limit-counters.js'
import { startSweeper } from './maintenance/sweeper.js'
import { joinClusterMetrics } from './metrics/cluster-metrics.js'
import { noMetrics } from './metrics/metrics.js'
import { createPrometheusMetrics } from './metrics/prometheus-metrics.js'
import { createStore } from './storage/create-store.js'
import type { Store } from './storage/store.js'
import { createFileStorage } from './uploads/create-file-storage.js'
import { startWebhookDispatcher } from './webhooks/webhook-dispatcher.js'

export type Server = {
  app: Awaited<ReturnType<typeof buildApp>>
  store: Store
  /** Where the key that seals credentials comes from (the start-up banner shows it). */
  encryptionKey: EncryptionKeySource
  /** Stops accepting, finishes in-flight requests (up to SHUTDOWN_TIMEOUT_MS), closes the database. */
  close(): Promise<void>
}

/** Composition root shared by `botflow serve` and the tests: config -> store -> services -> app. */
export type ServerOptions = {
  logger?: FastifyServerOptions['logger']
  /** The clock of chats and rate limits; tests move it forward to expire sessions (the sweeper goes by it too). */
  now?: () => number
  /** False in the workers of `serve --workers N`: the primary migrated before forking them. */
  migrate?: boolean
  /** PostgreSQL connections of this process, when DATABASE_POOL_SIZE does not say. */
  poolSize?: number
  /** A worker of `serve --workers N`: GET /api/metrics answers for all the workers. */
  isClusterWorker?: boolean
  /** Tests: how long a request waits for a busy session, how often the sweeper runs. */
  sessionBusyWaitMs?: number
  sweepIntervalMs?: number
}

export async function createServer(config: Config, options: ServerOptions = {}): Promise<Server> {
  // Before the database: a PostgreSQL server without ENCRYPTION_SECRET stops here with the reason.
  const encryptionKey = loadEncryptionKey(config)
  const cipher = createSecretCipher(encryptionKey.key)
  // The logger comes with the app, built below on this store; until then a lost connection goes unlogged.
  let onConnectionLost = (_error: Error) => {}
  const store = await createStore(config.database, {
    migrate: options.migrate,
    poolSize: options.poolSize,
    onConnectionLost: (error) => onConnectionLost(error),
  })
  const sessionTtlMs = config.sessionTtlHours === undefined ? undefined : config.sessionTtlHours * 3_600_000
  const metrics = config.metricsToken === undefined ? undefined : createPrometheusMetrics({ poolStats: () => store.poolStats() })
  let metricsEndpoint: MetricsEndpoint | undefined
  if (metrics && config.metricsToken !== undefined) {
    const { registry } = metrics
    const read = options.isClusterWorker ? joinClusterMetrics(registry).read : () => registry.metrics()
    metricsEndpoint = {
      token: config.metricsToken,
      contentType: registry.contentType,
      read,
      observeRequest: metrics.observeRequest,
      countUpload: metrics.upload,
    }
  }
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
    metrics,
    sessionBusyWaitMs: options.sessionBusyWaitMs,
    publicUrl: config.publicUrl,
  })
  const rateLimitCounters = config.rateLimit.isEnabled
    ? new RateLimitCounters({ store: store.rateLimitCounters, syncIntervalMs: config.rateLimit.syncIntervalMs, now })
    : undefined
  const app = await buildApp({
    store,
    chat,
    cipher,
    bodyLimit: config.bodyLimit,
    http: config.http,
    rateLimit: config.rateLimit,
    rateLimitCounters,
    logger: options.logger,
    files,
    publicUrl: config.publicUrl,
    maxUploadBytes: config.uploads.maxFileSizeMb * 1024 * 1024,
    now,
    metrics: metricsEndpoint,
  })
  onConnectionLost = (error) => app.log.warn({ err: error }, 'PostgreSQL closed a pooled connection; the pool opens another when needed')
  const sweeper = startSweeper({
    store: store.sweep,
    metrics: metrics ?? noMetrics,
    now,
    resultsRetentionDays: config.resultsRetentionDays,
    deleteFiles: (storageKeys) => files.delete(storageKeys),
    webhookDeliveryRetentionDays: config.webhookDeliveryRetentionDays,
    intervalMs: options.sweepIntervalMs,
    onError: (error) => app.log.error({ err: error }, 'sweeper pass failed'),
  })
  rateLimitCounters?.start((error) => app.log.warn({ err: error }, 'rate limit counters could not be synced'))
  const webhooks = startWebhookDispatcher({
    store,
    cipher,
    allowPrivateTargets: config.effects.allowPrivateHttpTargets,
    ...config.webhooks,
    now,
    onError: (error) => app.log.error({ err: error }, 'webhook delivery loop failed'),
    ...(metrics ? { onAttempt: metrics.webhookDelivery } : {}),
  })
  return {
    app,
    store,
    encryptionKey: encryptionKey.source,
    async close() {
      // The delivery loop winds down beside the requests, within the same deadline: a delivery still
      // waiting on its receiver then is cut, recorded as a failed attempt and retried later.
      const deadlineMs = config.http.shutdownTimeoutMs
      await Promise.all([webhooks.stop(deadlineMs), closeWithin(app, deadlineMs)])
      await sweeper.stop()
      await rateLimitCounters?.stop()
      await chat.close()
      await store.close()
    },
  }
}

/**
 * Stops accepting and lets requests in flight finish, but not forever: after `deadlineMs` the
 * connections still open (a client trickling a body, a long turn) are cut, so a shutdown ends.
 */
async function closeWithin(app: Server['app'], deadlineMs: number) {
  const deadline = setTimeout(() => app.server.closeAllConnections(), deadlineMs)
  try {
    await app.close()
  } finally {
    clearTimeout(deadline)
  }
}
