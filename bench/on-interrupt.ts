import { setTimeout as sleep } from 'node:timers/promises'

const cleanups = new Set<() => unknown>()

/**
 * Registers what must be undone if the run is interrupted (Ctrl-C, SIGTERM): servers to kill,
 * databases to drop. Returns the function that unregisters it once it was done normally.
 */
export function onInterrupt(cleanup: () => unknown): () => void {
  cleanups.add(cleanup)
  return () => cleanups.delete(cleanup)
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`\n${signal}: stopping the servers and dropping the databases...\n`)
    const pending = [...cleanups].map(async (cleanup) => cleanup())
    void Promise.race([Promise.allSettled(pending), sleep(5_000)]).then(() => process.exit(130))
  })
}
