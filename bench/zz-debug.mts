import autocannon from 'autocannon'
import { createBenchApi, createBenchOwner } from './bench-api.ts'
import { createBenchDatabase } from './bench-database.ts'
import { buildLoopFlow } from './bench-flows.ts'
import { startServerProcess } from './server-process.ts'
const db = await createBenchDatabase(undefined)
const owner = await createBenchOwner(db.url)
const server = await startServerProcess({ args: ['dist/cli/main.js', 'serve'], env: { DATABASE_URL: db.url, LOG_LEVEL: 'warn', BOTFLOW_DEMO: 'false' }, healthPath: '/api/healthz' })
console.log('cold', server.coldStartMs)
const api = createBenchApi(server.url, owner)
await api.publishFlow(buildLoopFlow(), 'bench-loop')
const statuses: Record<string, number> = {}
const bodies: string[] = []
const t = performance.now()
const inst = autocannon({ url: server.url, connections: 64, amount: 1000, timeout: 10, requests: [{ method: 'POST', path: '/api/v1/typebots/bench-loop/startChat', body: '{}', headers: { 'content-type': 'application/json' }, onResponse: (status: number, body: string) => { statuses[status] = (statuses[status] ?? 0) + 1; if (status >= 300 && bodies.length < 3) bodies.push(body) } } as any] })
const r = await inst
console.log('took', performance.now() - t, statuses, r.errors, r.timeouts, r.non2xx, bodies, r.latency.p50, r.latency.p99, r.latency.max)
await server.stop(); await db.drop()
