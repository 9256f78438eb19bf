import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseConfig } from '../../src/config.js'
import { createStore } from '../../src/storage/create-store.js'
import { createUserWithToken } from '../../src/typebots/create-user-with-token.js'
import { type ChildServer, startChildServer } from '../helpers/start-child-server.js'
import { createTestDatabase, type TestDatabase } from '../helpers/start-server.js'

/**
 * PostgreSQL restarting or out of reach, as an operator meets it: the server process stays up,
 * answers 503 in our error body while the database cannot be reached, and serves again when it
 * is back. botflow runs in a child process (a crash is an exit there) and reaches PostgreSQL
 * through a TCP relay the test can cut, stop and start again.
 */
describe.skipIf(!process.env.TEST_DATABASE_URL)('PostgreSQL going away', () => {
  let database: TestDatabase
  let relay: TcpRelay
  let server: ChildServer
  let token: string

  beforeAll(async () => {
    database = await createTestDatabase()
    const store = await createStore(parseConfig({ DATABASE_URL: database.url }).database)
    try {
      token = (await createUserWithToken(store, { email: 'outage@example.com', tokenName: 'outage' })).apiToken.token
    } finally {
      await store.close()
    }
    const target = new URL(database.url)
    relay = await startTcpRelay(target.hostname, Number(target.port || 5432))
    const relayed = new URL(database.url)
    relayed.hostname = '127.0.0.1'
    relayed.port = String(relay.port)
    server = await startChildServer({ ...database.env, DATABASE_URL: relayed.toString() })
  })

  afterAll(async () => {
    await server?.stop()
    await relay?.stop()
    await database?.drop()
  })

  const listWorkspaces = () => fetch(`${server.url}/api/v1/workspaces`, { headers: { authorization: `Bearer ${token}` } })

  it('keeps serving when PostgreSQL ends its connections, as a restart does', async () => {
    expect((await listWorkspaces()).status).toBe(200)
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL })
    await admin.connect()
    try {
      const { rows } = await admin.query<{ ended: boolean }>(
        'SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE client_port = ANY($1::int[])',
        [relay.upstreamPorts()],
      )
      expect(rows.length).toBeGreaterThan(0)
    } finally {
      await admin.end()
    }
    // The pool hears of its closed connections (PostgreSQL's FATAL 57P01) and opens new ones; a request
    // that met a closing connection in between is answered 503, never 500, and the process stays up.
    const statuses = await pollUntilServed(listWorkspaces)
    expect(statuses.at(-1)).toBe(200)
    expect(statuses.filter((status) => status !== 200 && status !== 503)).toEqual([])
    expect(server.isRunning()).toBe(true)
  })

  it('answers 503 while PostgreSQL cannot be reached, and serves again once it is back', async () => {
    await relay.stop()
    const during = await listWorkspaces()
    expect(during.status).toBe(503)
    expect(await during.json()).toEqual({ message: 'The database is unavailable; try again shortly', code: 'SERVICE_UNAVAILABLE' })
    const ready = await fetch(`${server.url}/api/readyz`)
    expect(ready.status).toBe(503)
    await relay.start()
    expect((await listWorkspaces()).status).toBe(200)
    expect((await fetch(`${server.url}/api/readyz`)).status).toBe(200)
    expect(server.isRunning()).toBe(true)
  })
})

type TcpRelay = { port: number; upstreamPorts(): number[]; stop(): Promise<void>; start(): Promise<void> }

/** A TCP relay to PostgreSQL on a fixed local port: stopping it refuses new connections and cuts the open ones. */
async function startTcpRelay(host: string, port: number): Promise<TcpRelay> {
  const pairs = new Set<{ client: Socket; upstream: Socket }>()
  let listener: Server | undefined
  const listen = (onPort: number) =>
    new Promise<number>((resolve, reject) => {
      const next = createServer((client) => {
        const upstream = tcpConnect(port, host)
        const pair = { client, upstream }
        pairs.add(pair)
        const end = () => {
          client.destroy()
          upstream.destroy()
          pairs.delete(pair)
        }
        client.on('error', end).on('close', end)
        upstream.on('error', end).on('close', end)
        client.pipe(upstream)
        upstream.pipe(client)
      })
      next.once('error', reject)
      next.listen(onPort, '127.0.0.1', () => {
        listener = next
        const address = next.address()
        resolve(typeof address === 'object' && address ? address.port : onPort)
      })
    })
  const relayPort = await listen(0)
  return {
    port: relayPort,
    upstreamPorts: () => [...pairs].map((pair) => pair.upstream.localPort).filter((local): local is number => local !== undefined),
    async stop() {
      const closing = listener
      listener = undefined
      for (const pair of pairs) {
        pair.client.destroy()
        pair.upstream.destroy()
      }
      pairs.clear()
      if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()))
    },
    async start() {
      await listen(relayPort)
    },
  }
}

/** Statuses of the request, repeated until it answers 200 (or 5 s pass). */
async function pollUntilServed(request: () => Promise<Response>): Promise<number[]> {
  const statuses: number[] = []
  const deadline = Date.now() + 5_000
  while (Date.now() < deadline) {
    const response = await request()
    await response.arrayBuffer()
    statuses.push(response.status)
    if (response.status === 200) break
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return statuses
}
