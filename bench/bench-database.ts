import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { onInterrupt } from './on-interrupt.js'

export type BenchDatabase = {
  /** DATABASE_URL for the server under test. */
  url: string
  /** What the report says, without credentials. */
  label: string
  kind: 'sqlite' | 'postgres'
  drop(): Promise<void>
}

/** A fresh, empty database: a temp SQLite file, or a new schema on the given PostgreSQL server. */
export async function createBenchDatabase(postgresUrl: string | undefined): Promise<BenchDatabase> {
  if (!postgresUrl) {
    const dir = mkdtempSync(join(tmpdir(), 'botflow-bench-'))
    const drop = () => rmSync(dir, { recursive: true, force: true })
    const unregister = onInterrupt(drop)
    return {
      url: `file:${join(dir, 'botflow.sqlite')}`,
      label: 'SQLite (temp file, WAL)',
      kind: 'sqlite',
      drop: async () => {
        unregister()
        drop()
      },
    }
  }
  const schema = `bench_${process.pid}_${randomBytes(4).toString('hex')}`
  await runAdminQuery(postgresUrl, `create schema ${schema}`)
  const drop = () => runAdminQuery(postgresUrl, `drop schema if exists ${schema} cascade`)
  const unregister = onInterrupt(drop)
  const url = new URL(postgresUrl)
  url.searchParams.set('options', `-c search_path=${schema}`)
  return {
    url: url.toString(),
    label: `PostgreSQL (${url.hostname}:${url.port || '5432'}${url.pathname}, fresh schema)`,
    kind: 'postgres',
    drop: async () => {
      unregister()
      await drop()
    },
  }
}

async function runAdminQuery(connectionString: string, query: string): Promise<void> {
  const client = new pg.Client({ connectionString })
  await client.connect()
  try {
    await client.query(query)
  } finally {
    await client.end()
  }
}
