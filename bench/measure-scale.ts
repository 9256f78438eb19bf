import { createBenchApi, createBenchOwner } from './bench-api.js'
import { type BenchDatabase, createBenchDatabase } from './bench-database.js'
import { buildLoopFlow } from './bench-flows.js'
import type { BenchContext } from './bench-phases.js'
import { describeError } from './bench-phases.js'
import { type LoadResult, runLoad } from './run-load.js'
import { startServerProcess } from './server-process.js'

/** One line of the scale table: a database and a number of worker processes, under continueChat and startChat. */
export type ScaleRow = {
  database: 'SQLite' | 'PostgreSQL'
  workers: number
  continueChat?: LoadResult
  startChat?: LoadResult
  failure?: string
}

const connections = 16
/** PostgreSQL needs ENCRYPTION_SECRET (credentials are sealed with it); SQLite generates a key file. */
const encryptionSecretFor = (database: BenchDatabase): Record<string, string> =>
  database.kind === 'postgres' ? { ENCRYPTION_SECRET: 'botflow-bench-encryption-secret-0123456789' } : {}
const publicId = 'bench-scale'

/**
 * continueChat and startChat at 16 connections with 1 and 2 workers (`serve --workers 2`), on SQLite
 * and, given a PostgreSQL URL, on PostgreSQL: each setup on a fresh database, one after the other.
 */
export async function measureScale(context: BenchContext, postgresUrl: string | undefined): Promise<ScaleRow[]> {
  const setups: { database: ScaleRow['database']; workers: number; url: string | undefined }[] = [
    { database: 'SQLite', workers: 1, url: undefined },
    { database: 'SQLite', workers: 2, url: undefined },
  ]
  if (postgresUrl)
    setups.push({ database: 'PostgreSQL', workers: 1, url: postgresUrl }, { database: 'PostgreSQL', workers: 2, url: postgresUrl })
  const rows: ScaleRow[] = []
  for (const setup of setups) {
    context.log(`Scale: ${setup.database} with ${setup.workers} worker${setup.workers === 1 ? '' : 's'}...`)
    const database = await createBenchDatabase(setup.url)
    try {
      rows.push({ database: setup.database, workers: setup.workers, ...(await measureSetup(context, database, setup.workers)) })
    } catch (error) {
      rows.push({ database: setup.database, workers: setup.workers, failure: describeError(error) })
    } finally {
      await database.drop()
    }
  }
  return rows
}

async function measureSetup(context: BenchContext, database: BenchDatabase, workers: number) {
  const owner = await createBenchOwner(database.url)
  const server = await startServerProcess({
    args: [...context.serverArgs, '--workers', String(workers)],
    env: { DATABASE_URL: database.url, LOG_LEVEL: 'silent', BOTFLOW_DEMO: 'false', ...encryptionSecretFor(database) },
    healthPath: '/api/healthz',
  })
  try {
    const api = createBenchApi(server.url, owner)
    await api.publishFlow(buildLoopFlow(), publicId)
    const sessionIds = await api.openSessions(publicId, context.options.openSessions)
    const continueShape = {
      method: 'POST' as const,
      paths: sessionIds.map((id) => `/api/v1/sessions/${id}/continueChat`),
      body: JSON.stringify({ message: 'hello' }),
    }
    const { durationSeconds, warmUpSeconds } = context.options
    await runLoad(server.url, { ...continueShape, connections, durationSeconds: warmUpSeconds })
    const continueChat = await runLoad(server.url, { ...continueShape, connections, durationSeconds })
    const startShape = { method: 'POST' as const, paths: [`/api/v1/typebots/${publicId}/startChat`], body: '{}' }
    const startChat = await runLoad(server.url, { ...startShape, connections, durationSeconds })
    return { continueChat, startChat }
  } finally {
    await server.stop()
  }
}
