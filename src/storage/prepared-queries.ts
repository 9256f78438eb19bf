import { type Expression, type PostgresPool, sql } from 'kysely'
import type pg from 'pg'

/**
 * Kysely sends every query unnamed, so PostgreSQL parses and plans it on each call: ~0.1 ms of its
 * CPU per query, more than the lookup itself (statement log, `log_min_duration_statement = 0`).
 * The few point lookups every chat or API call makes (token, typebot header, member role,
 * collaborator) are marked with `prepared()`: on PostgreSQL they run as named statements, parsed
 * once per connection and planned generically (create-store.ts). Measured on updateTypebot (four
 * such lookups) at 16 connections: PostgreSQL's CPU per request 640-680 -> 370-400 µs, requests
 * per second +27-32%. Only marked queries are named: their text is fixed, so the statements a
 * connection keeps stay few, and queries whose best plan depends on their values (ranges, lists
 * of varying length) keep being planned with them.
 */
const marker = '/* botflow:prepared */'

/** Marks a query whose text never varies to run as a named statement on PostgreSQL (a comment on SQLite). */
export function prepared<Query extends { modifyEnd(modifier: Expression<unknown>): Query }>(query: Query): Query {
  return query.modifyEnd(sql.raw(marker))
}

/** The pool Kysely gets: marked query texts are sent with a name, one per text, the same in every connection. */
export function withPreparedQueries(pool: pg.Pool): PostgresPool {
  const names = new Map<string, string>()
  const nameOf = (text: string) => {
    let name = names.get(text)
    if (!name) {
      name = `botflow_query_${names.size + 1}`
      names.set(text, name)
    }
    return name
  }
  return {
    // Kysely opens a connection of this class to cancel a query; pg's typings leave it out of Pool.
    Client: (pool as unknown as Pick<PostgresPool, 'Client'>).Client,
    options: pool.options,
    end: () => pool.end(),
    async connect() {
      const client = await pool.connect()
      return new Proxy(client, {
        get(target, key) {
          if (key === 'query') {
            return (text: unknown, values?: unknown[]) =>
              typeof text === 'string' && text.endsWith(marker)
                ? target.query({ name: nameOf(text), text, values })
                : target.query(text as string, values)
          }
          const value: unknown = Reflect.get(target, key)
          return typeof value === 'function' ? value.bind(target) : value
        },
      })
    },
  } as PostgresPool
}
