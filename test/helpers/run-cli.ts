import { afterAll, beforeAll } from 'vitest'
import { runCli } from '../../src/cli/main.js'
import { isRecord } from '../../src/json-record.js'
import { createTestDatabase, type TestDatabase } from './start-server.js'

export type CliRun = { code: number; stdout: string; stderr: string }

/** Runs the CLI in-process against `env` and captures what it printed. */
export async function runCliCaptured(
  argv: string[],
  env: Record<string, string | undefined>,
  shutdownSignal?: AbortSignal,
  stdin?: string,
): Promise<CliRun> {
  let stdout = ''
  let stderr = ''
  const code = await runCli(argv, {
    stdout: (text) => {
      stdout += text
    },
    stderr: (text) => {
      stderr += text
    },
    env,
    shutdownSignal,
    readStdin: stdin === undefined ? undefined : async () => stdin,
  })
  return { code, stdout, stderr }
}

export function lastLine(text: string): string {
  return text.trimEnd().split('\n').at(-1) ?? ''
}

export type CliServer = { url: string; stop(): Promise<CliRun> }

/** `botflow serve` on port 0 in-process; `stop()` aborts it as SIGTERM would and returns its run. */
export async function serveWithCli(env: Record<string, string | undefined>): Promise<CliServer> {
  const controller = new AbortController()
  let announce: (url: string) => void = () => undefined
  const listening = new Promise<string>((resolve) => {
    announce = resolve
  })
  let stdout = ''
  let stderr = ''
  const running = runCli(['serve'], {
    stdout: (text) => {
      stdout += text
      const url = findServedUrl(stdout)
      if (url) announce(url)
    },
    stderr: (text) => {
      stderr += text
    },
    // The terminal format prints the banner, with its address, whatever LOG_LEVEL is.
    env: { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', LOG_FORMAT: 'pretty', BOTFLOW_DEMO: 'false', ...env },
    shutdownSignal: controller.signal,
  })
  const url = await Promise.race([listening, running.then((code) => Promise.reject(new Error(`serve exited with ${code}: ${stderr}`)))])
  return {
    url,
    async stop() {
      controller.abort()
      return { code: await running, stdout, stderr }
    },
  }
}

/** The address `serve` announced: in its terminal banner, or in its JSON "botflow is ready" record. */
function findServedUrl(stdout: string): string | undefined {
  const banner = /is ready on (\S+)/.exec(stdout)?.[1]
  if (banner) return banner
  for (const line of stdout.split('\n')) {
    if (!line.includes('"botflow is ready"')) continue
    const record: unknown = JSON.parse(line)
    if (isRecord(record) && typeof record.url === 'string') return record.url
  }
  return undefined
}

/**
 * For a CLI test file: a fresh database with `botflow serve` running on it for the whole file;
 * `run` runs another CLI command against the same database, `get` is an authenticated GET to the server.
 */
export function useServedDatabase() {
  let database: TestDatabase
  let server: CliServer
  let env: Record<string, string>
  beforeAll(async () => {
    database = await createTestDatabase()
    env = database.env
    server = await serveWithCli(env)
  })
  afterAll(async () => {
    await server.stop()
    await database.drop()
  })
  return {
    /** The served address, once the file's beforeAll ran. */
    get url() {
      return server.url
    },
    run: (argv: string[], options: { env?: Record<string, string>; stdin?: string } = {}) =>
      runCliCaptured(argv, { ...env, ...options.env }, undefined, options.stdin),
    async get(path: string, token: string) {
      const response = await fetch(`${server.url}/api${path}`, { headers: { authorization: `Bearer ${token}` } })
      return { status: response.status, body: await response.json() }
    },
  }
}
