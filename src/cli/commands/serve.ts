import packageJson from '../../../package.json' with { type: 'json' }
import { parseConfig } from '../../config.js'
import type { EncryptionKeySource } from '../../credentials/encryption-key.js'
import { createLogOptions, resolveLogFormat } from '../../logging/log-options.js'
import { type CliCommand, parseCommandArgs } from '../cli-command.js'
import { type StartupInfo, startupBanner, startupRecord, toPublicUrl } from '../startup-banner.js'

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'Run the HTTP server (what `npm start` runs)',
  usage: `
Usage: botflow serve

Runs the HTTP server on PORT (3000) and HOST (0.0.0.0), with the database of DATABASE_URL
(default: SQLite in ./data/botflow.sqlite); pending migrations run first. SIGTERM or SIGINT
stops accepting connections, lets requests in flight finish and closes the database.
`,
  async run(args, io) {
    if (!parseCommandArgs(this, args, io, {})) return 0
    const config = parseConfig(io.env)
    // Loaded here so the other commands start without the HTTP stack.
    const { createServer } = await import('../../server.js')
    const { prepareFirstRun } = await import('../../demo/prepare-first-run.js')
    const logFormat = resolveLogFormat(config.logFormat, io.isTerminal === true)
    const server = await createServer(config, { logger: createLogOptions({ level: config.logLevel, format: logFormat, write: io.stdout }) })
    // A terminal gets plain lines whatever LOG_LEVEL says; JSON output stays one record per line.
    const tell = (text: string) => (logFormat === 'pretty' ? io.stdout(`${text}\n`) : server.app.log.info(text))
    const shutdown = waitForShutdown(io.shutdownSignal)
    try {
      const { isDemoAvailable } = await prepareFirstRun(server.store, config)
      const address = await listenQuietly(server.app, { port: config.port, host: config.host })
      const info: StartupInfo = {
        url: toPublicUrl(address, config.host, config.publicUrl),
        version: packageJson.version,
        database: config.database,
        isDemoAvailable,
        secretKey: describeKeySource(server.encryptionKey),
      }
      if (logFormat === 'pretty') io.stdout(startupBanner(info))
      else server.app.log.info({ ...startupRecord(info), listening: address }, 'botflow is ready')
      tell(`${await shutdown.promise}: shutting down`)
    } finally {
      shutdown.dispose()
      await server.close()
    }
    return 0
  },
}

/** Resolves on the first SIGTERM/SIGINT (or abort); a second signal then kills the process as usual. */
function waitForShutdown(signal: AbortSignal | undefined): { promise: Promise<string>; dispose(): void } {
  if (signal) {
    let onAbort = (): void => undefined
    const promise = new Promise<string>((resolve) => {
      onAbort = () => resolve('Stop requested')
      if (signal.aborted) onAbort()
      else signal.addEventListener('abort', onAbort, { once: true })
    })
    return { promise, dispose: () => signal.removeEventListener('abort', onAbort) }
  }
  let onSignal = (_name: NodeJS.Signals): void => undefined
  const promise = new Promise<string>((resolve) => {
    onSignal = (name) => resolve(`Received ${name}`)
  })
  process.once('SIGTERM', onSignal)
  process.once('SIGINT', onSignal)
  return {
    promise,
    dispose() {
      process.off('SIGTERM', onSignal)
      process.off('SIGINT', onSignal)
    },
  }
}

/**
 * Fastify logs "Server listening at" once per network interface (several lines with HOST=0.0.0.0);
 * the banner says it once. The level is raised for the listen call only, before any request.
 */
async function listenQuietly(
  app: { log: { level: string }; listen(options: { port: number; host: string }): Promise<string> },
  options: { port: number; host: string },
): Promise<string> {
  const level = app.log.level
  if (!['info', 'debug', 'trace'].includes(level)) return app.listen(options)
  app.log.level = 'warn'
  try {
    return await app.listen(options)
  } finally {
    app.log.level = level
  }
}

/** Where the key that seals credentials lives: losing a generated key file makes them unreadable. */
function describeKeySource(source: EncryptionKeySource): string | undefined {
  if (source.kind === 'environment') return 'ENCRYPTION_SECRET'
  if (source.kind === 'memory') return undefined
  return `${source.path} (${source.isNew ? 'generated now; ' : ''}keep it with the database)`
}
