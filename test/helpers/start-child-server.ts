import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/**
 * Starts botflow in another OS process with `env` (its database) and resolves with its URL. Rate
 * limits are off unless `env` turns them on (racing-reply tests send hundreds of replies).
 */
export async function startChildServer(
  env: Record<string, string>,
): Promise<{ url: string; pid: number | undefined; stop(): Promise<void> }> {
  const script = fileURLToPath(new URL('./serve-child.ts', import.meta.url))
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, RATE_LIMIT: 'off', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const url = await new Promise<string>((resolve, reject) => {
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const line = output.split('\n').find((candidate) => candidate.startsWith('http'))
      if (line) resolve(line.trim())
    })
    child.once('exit', (code) => reject(new Error(`child server exited with ${code}`)))
  })
  return {
    url,
    pid: child.pid,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}
