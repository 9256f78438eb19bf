/** A second botflow server process for multi-process tests: prints its URL, then serves until killed. */
import { parseConfig } from '../../src/config.js'
import { createServer } from '../../src/server.js'

const config = parseConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', BOTFLOW_DEMO: 'false' })
const server = await createServer(config)
const url = await server.app.listen({ port: 0, host: '127.0.0.1' })
process.stdout.write(`${url}\n`)
process.on('SIGTERM', () => {
  void server.close().then(() => process.exit(0))
})

// Memory tests: the live heap (after a full collection, with node's --expose-gc) every N ms.
const reportEveryMs = Number(process.env.TEST_HEAP_REPORT_MS ?? 0)
const collect = (globalThis as { gc?: () => void }).gc
if (reportEveryMs > 0 && collect) {
  setInterval(() => {
    collect()
    process.stdout.write(`heap ${process.memoryUsage().heapUsed}\n`)
  }, reportEveryMs).unref()
}
