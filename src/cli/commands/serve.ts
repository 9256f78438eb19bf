import cluster from 'node:cluster'
import { availableParallelism } from 'node:os'
import packageJson from '../../../package.json' with { type: 'json' }
import { parseConfig, workersSchema } from '../../config.js'
import { createLogOptions, resolveLogFormat } from '../../logging/log-options.js'
import { type CliCommand, parseCommandArgs, UsageError } from '../cli-command.js'
import { listenQuietly, waitForShutdown } from '../serve-lifecycle.js'
import { describeKeySource, type StartupInfo, startupBanner, startupRecord, toPublicUrl } from '../startup-banner.js'

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'Run the HTTP server (what `npm start` runs)',
  usage: `
Usage: botflow serve [--workers <n>|auto]

Runs the HTTP server on PORT (3000) and HOST (0.0.0.0), with the database of DATABASE_URL
(default: SQLite in ./data/botflow.sqlite); pending migrations run first. SIGTERM or SIGINT
stops accepting connections, lets requests in flight finish and closes the database.

  --workers <n>|auto   processes serving the port (default: WORKERS, else 1; auto: one per
                       CPU core); a worker that dies is replaced
`,
  async run(args, io) {
    const parsed = parseCommandArgs(this, args, io, { workers: { type: 'string' } })
    if (!parsed) return 0
    const config = parseConfig(io.env)
    const workers = resolveWorkers(parsed.values.workers ?? config.workers)
    if (cluster.isWorker) {
      const { runClusterWorker } = await import('../serve-cluster.js')
      return runClusterWorker(config, workers, io)
    }
    if (workers > 1) {
      const { runClusterPrimary } = await import('../serve-cluster.js')
      return runClusterPrimary(config, workers, io)
    }
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

function resolveWorkers(value: string | number): number {
  const parsed = workersSchema.safeParse(value)
  if (!parsed.success) throw new UsageError(`--workers must be a number from 1 to 256 or 'auto', not '${value}'`)
  return parsed.data === 'auto' ? availableParallelism() : parsed.data
}
