import { type ChildProcess, spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { onInterrupt } from './on-interrupt.js'

export type ServerProcess = {
  url: string
  pid: number
  /** Milliseconds from spawn to the first 200 of the health check. */
  coldStartMs: number
  /** When the health check first answered, in µs of `process.hrtime`'s clock (to cut a CPU profile). */
  healthyAtUs: number
  stop(): Promise<void>
}

export type ServerCommand = { args: string[]; env: Record<string, string>; healthPath: string }

const host = '127.0.0.1'
const startTimeoutMs = 30_000
const stopTimeoutMs = 10_000
const pollIntervalMs = 2

/** Every child still running, so a failed or interrupted run never leaves servers behind. */
const liveChildren = new Set<ChildProcess>()
const killAll = () => {
  for (const child of liveChildren) child.kill('SIGKILL')
}
process.once('exit', killAll)
onInterrupt(killAll)

/**
 * Spawns `node <args>` listening on a free port of 127.0.0.1 and resolves once its health check
 * answers 200 (polled every few ms). Its stderr is kept to explain a failed start.
 */
export async function startServerProcess(command: ServerCommand): Promise<ServerProcess> {
  const port = await findFreePort()
  const url = `http://${host}:${port}`
  const startedAt = performance.now()
  const child = spawn(process.execPath, command.args, {
    // The loads come from one address at thousands of requests a second: no rate limits, unless
    // RATE_LIMIT=on in the bench's own environment (to measure what counting costs).
    env: { RATE_LIMIT: 'off', ...process.env, ...command.env, PORT: String(port), HOST: host },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  liveChildren.add(child)
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000)
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  void exited.then(() => liveChildren.delete(child))
  let exitCode: number | null | undefined
  void exited.then((code) => {
    exitCode = code
  })

  while (!(await isHealthy(`${url}${command.healthPath}`))) {
    if (exitCode !== undefined) throw new Error(`server exited with code ${exitCode} before answering:\n${stderr.trim()}`)
    if (performance.now() - startedAt > startTimeoutMs) {
      child.kill('SIGKILL')
      throw new Error(`server did not answer ${command.healthPath} within ${startTimeoutMs / 1000} s:\n${stderr.trim()}`)
    }
    await sleep(pollIntervalMs)
  }
  const coldStartMs = performance.now() - startedAt
  const healthyAtUs = Number(process.hrtime.bigint() / 1000n)
  const pid = child.pid
  if (pid === undefined) throw new Error('server process has no pid')

  return {
    url,
    pid,
    coldStartMs,
    healthyAtUs,
    async stop() {
      if (exitCode !== undefined) return
      // SIGTERM lets botflow shut down cleanly (and node write its --cpu-prof file).
      child.kill('SIGTERM')
      const timedOut = Symbol('timeout')
      if ((await Promise.race([exited, sleep(stopTimeoutMs, timedOut)])) === timedOut) {
        child.kill('SIGKILL')
        await exited
      }
    },
  }
}

async function isHealthy(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1_000) })
    await response.arrayBuffer()
    return response.status === 200
  } catch {
    return false
  }
}

/** Asks the OS for a free port; the small race until the child binds it is acceptable on a bench box. */
function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, host, () => {
      const address = probe.address()
      const port = typeof address === 'object' && address ? address.port : 0
      probe.close(() => (port ? resolve(port) : reject(new Error('no free port'))))
    })
  })
}
