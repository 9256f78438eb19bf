import cluster, { type Worker } from 'node:cluster'
import { Counter, Gauge, Registry } from 'prom-client'
import packageJson from '../../package.json' with { type: 'json' }
import type { Config } from '../config.js'
import { loadEncryptionKey } from '../credentials/encryption-key.js'
import { prepareFirstRun } from '../demo/prepare-first-run.js'
import { createLogOptions, resolveLogFormat } from '../logging/log-options.js'
import { serveClusterMetrics } from '../metrics/cluster-metrics.js'
import { createServer } from '../server.js'
import { createStore, defaultPoolSize } from '../storage/create-store.js'
import type { CliIo } from './cli-command.js'
import { listenQuietly, waitForShutdown } from './serve-lifecycle.js'
import { describeKeySource, type StartupInfo, startupBanner, startupRecord, toPublicUrl } from './startup-banner.js'

const listeningType = 'botflow:listening'
/** A worker that lived less than this before dying counts towards a crash loop. */
const quickDeathMs = 10_000
const firstRestartDelayMs = 250
const maxRestartDelayMs = 30_000
/** After asking workers to stop: their own shutdown deadline (SHUTDOWN_TIMEOUT_MS), then this margin, then SIGKILL. */
const stopMarginMs = 5_000

type Listening = { type: typeof listeningType; address: string }

/**
 * `botflow serve --workers N`, the primary process: migrates and publishes the demo once, forks N
 * workers that share the port (node:cluster hands connections out in turn), replaces a worker that
 * dies (with a growing delay when they keep dying), and on SIGTERM/SIGINT stops them all.
 */
export async function runClusterPrimary(config: Config, workerCount: number, io: CliIo): Promise<number> {
  // Loaded (and on first start generated) before forking, so workers read one key file and the banner can name it.
  const keySource = loadEncryptionKey(config).source
  const store = await createStore(config.database, { poolSize: 1 })
  let isDemoAvailable: boolean
  try {
    ;({ isDemoAvailable } = await prepareFirstRun(store, config))
  } finally {
    await store.close()
  }
  const registry = new Registry()
  const liveWorkers = new Gauge({ name: 'botflow_cluster_workers', help: 'Worker processes serving', registers: [registry] })
  const restarts = new Counter({
    name: 'botflow_cluster_worker_restarts_total',
    help: 'Workers started again after one died',
    registers: [registry],
  })
  if (config.metricsToken) serveClusterMetrics(registry)

  const isPretty = resolveLogFormat(config.logFormat, io.isTerminal === true) === 'pretty'
  // The primary has no Fastify logger: plain lines on a terminal, else records shaped like pino's.
  const tell = (text: string, fields: Record<string, unknown> = {}) =>
    io.stdout(isPretty ? `${text}\n` : `${JSON.stringify({ level: 30, time: Date.now(), ...fields, msg: text })}\n`)
  const shutdown = waitForShutdown(io.shutdownSignal)
  const startedAt = new Map<Worker, number>()
  let isStopping = false
  let quickDeaths = 0
  let hasAnnounced = false
  const pendingRestarts = new Set<NodeJS.Timeout>()
  const listening = new Set<Worker>()
  const allExited = new Promise<void>((resolve) => {
    cluster.on('exit', (worker, code, signal) => {
      const livedMs = performance.now() - (startedAt.get(worker) ?? 0)
      startedAt.delete(worker)
      listening.delete(worker)
      liveWorkers.set(listening.size)
      if (isStopping) {
        if (startedAt.size === 0) resolve()
        return
      }
      quickDeaths = livedMs < quickDeathMs ? quickDeaths + 1 : 0
      const delayMs = quickDeaths === 0 ? 0 : Math.min(maxRestartDelayMs, firstRestartDelayMs * 2 ** (quickDeaths - 1))
      tell(`Worker ${worker.process.pid} exited (${signal ?? `code ${code}`}); starting another${delayMs ? ` in ${delayMs} ms` : ''}`)
      const restart = setTimeout(() => {
        pendingRestarts.delete(restart)
        restarts.inc()
        fork()
      }, delayMs)
      pendingRestarts.add(restart)
    })
  })
  cluster.on('message', (worker, message: unknown) => {
    if (!isListening(message)) return
    listening.add(worker)
    liveWorkers.set(listening.size)
    tell(`Worker ${worker.process.pid} is serving`)
    if (hasAnnounced || listening.size < workerCount) return
    hasAnnounced = true
    const info: StartupInfo = {
      url: toPublicUrl(message.address, config.host, config.publicUrl),
      version: packageJson.version,
      database: config.database,
      isDemoAvailable,
      workers: workerCount,
      secretKey: describeKeySource(keySource),
    }
    tell(`botflow is listening on ${message.address} with ${workerCount} workers`)
    if (isPretty) io.stdout(startupBanner(info))
    else tell('botflow is ready', startupRecord(info))
  })
  const fork = () => {
    const worker = cluster.fork()
    startedAt.set(worker, performance.now())
  }
  try {
    for (let index = 0; index < workerCount; index++) fork()
    const reason = await shutdown.promise
    tell(`${reason}: stopping ${startedAt.size} workers`)
  } finally {
    shutdown.dispose()
    isStopping = true
    for (const restart of pendingRestarts) clearTimeout(restart)
    for (const worker of startedAt.keys()) worker.process.kill('SIGTERM')
    const backstop = setTimeout(() => {
      for (const worker of startedAt.keys()) worker.process.kill('SIGKILL')
    }, config.http.shutdownTimeoutMs + stopMarginMs)
    if (startedAt.size > 0) await allExited
    clearTimeout(backstop)
  }
  return 0
}

function isListening(message: unknown): message is Listening {
  return typeof message === 'object' && message !== null && 'type' in message && message.type === listeningType
}

/**
 * A worker of `serve --workers N`: serves until SIGTERM/SIGINT, tells the primary once it listens (the
 * primary prints the banner when all do), then leaves the cluster so the process can end.
 */
export async function runClusterWorker(config: Config, workerCount: number, io: CliIo): Promise<number> {
  const logFormat = resolveLogFormat(config.logFormat, io.isTerminal === true)
  const server = await createServer(config, {
    logger: createLogOptions({ level: config.logLevel, format: logFormat, write: io.stdout }),
    migrate: false,
    isClusterWorker: true,
    poolSize: config.database.kind === 'postgres' ? (config.database.poolSize ?? defaultPoolSize(workerCount)) : undefined,
  })
  const shutdown = waitForShutdown(io.shutdownSignal)
  try {
    const address = await listenQuietly(server.app, { port: config.port, host: config.host })
    process.send?.({ type: listeningType, address } satisfies Listening)
    await shutdown.promise
  } finally {
    shutdown.dispose()
    await server.close()
    // The channel to the primary would keep this process alive.
    if (process.connected) process.disconnect()
  }
  return 0
}
