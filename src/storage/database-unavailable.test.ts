import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import SqliteDatabase from 'better-sqlite3'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { isDatabaseUnavailable } from './database-unavailable.js'

/** Real errors from the drivers, produced the way an outage produces them, told apart from a wrong query. */
describe('isDatabaseUnavailable', () => {
  it('recognises a PostgreSQL server that refuses the connection', async () => {
    const port = await closedPort()
    const client = new pg.Client({ host: '127.0.0.1', port, user: 'nobody', database: 'nothing' })
    const error = await client.connect().then(
      () => undefined,
      (refused: unknown) => refused,
    )
    expect(isDatabaseUnavailable(error)).toBe(true)
  })

  it('recognises a SQLite write lock still held by another connection', () => {
    const dir = mkdtempSync(join(tmpdir(), 'botflow-busy-'))
    const holder = new SqliteDatabase(join(dir, 'db.sqlite'))
    const waiter = new SqliteDatabase(join(dir, 'db.sqlite'))
    try {
      holder.exec('CREATE TABLE t (x); BEGIN IMMEDIATE; INSERT INTO t VALUES (1)')
      waiter.pragma('busy_timeout = 0')
      let error: unknown
      try {
        waiter.exec('INSERT INTO t VALUES (2)')
      } catch (busy) {
        error = busy
      }
      expect(isDatabaseUnavailable(error)).toBe(true)
      let wrong: unknown
      try {
        waiter.exec('INSERT INTO missing VALUES (2)')
      } catch (noTable) {
        wrong = noTable
      }
      expect(wrong).toBeInstanceOf(Error)
      expect(isDatabaseUnavailable(wrong)).toBe(false)
    } finally {
      holder.close()
      waiter.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it.each([
    [
      'a PostgreSQL shutdown (57P01)',
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      true,
    ],
    ['a connection exception (08006)', Object.assign(new Error('connection failure'), { code: '08006' }), true],
    ['too many connections (53300)', Object.assign(new Error('sorry, too many clients already'), { code: '53300' }), true],
    ['a connection that ended', new Error('Connection terminated unexpectedly'), true],
    ['a unique violation (23505)', Object.assign(new Error('duplicate key value'), { code: '23505' }), false],
    ['a syntax error (42601)', Object.assign(new Error('syntax error'), { code: '42601' }), false],
    ['a plain error', new Error('something else'), false],
    ['not an error', 'ECONNREFUSED', false],
  ])('tells %s', (_name, error, expected) => {
    expect(isDatabaseUnavailable(error)).toBe(expected)
  })
})

/** A local port nothing listens on: bound, then closed. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}
