import { spawn } from 'node:child_process'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../helpers/start-server.js'

const cliEntry = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url))
const metricsToken = 'cluster-metrics-token-for-tests'

/** `botflow serve --workers 2` in a child process; what it printed so far, and waiting for more. */
function startCluster(databaseEnv: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', cliEntry, 'serve', '--workers', '2'], {
    env: {
      ...process.env,
      ...databaseEnv,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      BOTFLOW_DEMO: 'false',
      METRICS_TOKEN: metricsToken,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return {
    child,
    exited,
    output: () => output,
    /** Resolves with the first match of `pattern` in the output from `from` on (60 s at most: each worker loads the TypeScript sources through tsx). */
    async waitFor(pattern: RegExp, from = 0): Promise<RegExpExecArray> {
      const deadline = Date.now() + 60_000
      for (;;) {
        const match = pattern.exec(output.slice(from))
        if (match) return match
        if (Date.now() > deadline) throw new Error(`no ${pattern} in the output:\n${output}`)
        await sleep(20)
      }
    },
  }
}

/** Serving pids announced after `from` in the output. */
function servingPids(output: string, from = 0): number[] {
  return [...output.slice(from).matchAll(/Worker (\d+) is serving/g)].map((match) => Number(match[1]))
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** GET with a new connection each time, retried while a killed worker's connections are being dropped. */
async function getOk(url: string, headers: Record<string, string> = {}): Promise<Response> {
  const deadline = Date.now() + 10_000
  for (;;) {
    try {
      const response = await fetch(url, { headers: { connection: 'close', ...headers } })
      if (response.status === 200 || Date.now() > deadline) return response
    } catch (error) {
      if (Date.now() > deadline) throw error
    }
    await sleep(20)
  }
}

let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(async () => database.drop())

describe('botflow serve --workers 2', () => {
  it('serves from two workers, replaces a worker that dies, sums the metrics, and stops them all on SIGTERM', async () => {
    const cluster = startCluster(database.env)
    try {
      const banner = await cluster.waitFor(/botflow is listening on (http:\/\/[\d.:]+) with 2 workers/)
      const url = banner[1]!
      const first = servingPids(cluster.output())
      expect(first).toHaveLength(2)
      expect((await getOk(`${url}/api/readyz`)).status).toBe(200)

      // Each original worker is killed in turn; the others keep answering, and a new one takes its place.
      const started = [...first]
      for (const pid of first) {
        const mark = cluster.output().length
        process.kill(pid, 'SIGKILL')
        await cluster.waitFor(new RegExp(`Worker ${pid} exited \\(SIGKILL\\); starting another`), mark)
        expect((await getOk(`${url}/api/healthz`)).status).toBe(200)
        await cluster.waitFor(/Worker (\d+) is serving/, mark)
        started.push(...servingPids(cluster.output(), mark))
      }
      expect(new Set(started).size).toBe(4)

      const metrics = await getOk(`${url}/api/metrics`, { authorization: `Bearer ${metricsToken}` })
      const text = await metrics.text()
      expect(text).toMatch(/^botflow_cluster_workers 2$/m)
      expect(text).toMatch(/^botflow_cluster_worker_restarts_total 2$/m)
      expect(text).toMatch(/^botflow_http_request_duration_seconds_count\{method="GET",route="\/api\/healthz",status="200"\} \d+$/m)

      cluster.child.kill('SIGTERM')
      expect(await cluster.exited).toBe(0)
      for (const pid of started) expect(isAlive(pid), `worker ${pid} still running`).toBe(false)
    } finally {
      if (cluster.child.exitCode === null) cluster.child.kill('SIGKILL')
    }
  }, 240_000)
})
