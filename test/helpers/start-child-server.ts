import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export type ChildServer = {
  url: string
  pid: number
  /** Every line the child printed so far. */
  lines: string[]
  /** SIGTERM; resolves with the exit code once the process is gone. */
  stop(): Promise<number | null>
  /** `kill -9`: no shutdown, whatever was in flight is lost. */
  kill(): Promise<number | null>
  /** False once the process has exited, whatever the reason. */
  isRunning(): boolean
}

/**
 * Starts botflow in another OS process with `env` (its database and settings) and resolves with
 * its URL. Rate limits are off unless `env` turns them on (racing-reply tests send hundreds of
 * replies). `nodeArgs` go to node itself (e.g. --expose-gc).
 */
export async function startChildServer(env: Record<string, string>, options: { nodeArgs?: string[] } = {}): Promise<ChildServer> {
  const script = fileURLToPath(new URL('./serve-child.ts', import.meta.url))
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', script], {
    env: { ...process.env, RATE_LIMIT: 'off', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const lines: string[] = []
  let partial = ''
  child.stdout.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString()).split('\n')
    partial = parts.pop() ?? ''
    lines.push(...parts)
  })
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const line = lines.find((candidate) => candidate.startsWith('http'))
      if (!line) return
      clearInterval(timer)
      resolve(line.trim())
    }, 10)
    child.once('exit', (code) => {
      clearInterval(timer)
      reject(new Error(`child server exited with ${code}`))
    })
  })
  const signal = (name: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name)
    return exited
  }
  return {
    url,
    pid: child.pid ?? 0,
    lines,
    stop: () => signal('SIGTERM'),
    kill: () => signal('SIGKILL'),
    isRunning: () => child.exitCode === null && child.signalCode === null,
  }
}
