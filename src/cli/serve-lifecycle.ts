/** Resolves on the first SIGTERM/SIGINT (or abort); a second signal then kills the process as usual. */
export function waitForShutdown(signal: AbortSignal | undefined): { promise: Promise<string>; dispose(): void } {
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
export async function listenQuietly(
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
