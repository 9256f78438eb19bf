import { parseConfig } from '../../config.js'
import type { EncryptionKeySource } from '../../credentials/encryption-key.js'
import { type CliCommand, parseCommandArgs } from '../cli-command.js'

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
    const { startupBanner } = await import('../../demo/startup-banner.js')
    const server = await createServer(config, { logger: { level: config.logLevel } })
    const shutdown = waitForShutdown(io.shutdownSignal)
    try {
      const { isDemoAvailable } = await prepareFirstRun(server.store, config)
      const address = await server.app.listen({ port: config.port, host: config.host })
      io.stdout(`botflow is listening on ${address}\n`)
      io.stdout(startupBanner(address, { isDemoAvailable, secretKey: describeKeySource(server.encryptionKey) }))
      const reason = await shutdown.promise
      io.stdout(`${reason}: shutting down\n`)
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

/** Where the key that seals credentials lives: losing a generated key file makes them unreadable. */
function describeKeySource(source: EncryptionKeySource): string | undefined {
  if (source.kind === 'environment') return 'ENCRYPTION_SECRET'
  if (source.kind === 'memory') return undefined
  return `${source.path} (${source.isNew ? 'generated now; ' : ''}keep it with the database)`
}
