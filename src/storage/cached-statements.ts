import type BetterSqlite3 from 'better-sqlite3'
import type { SqliteDatabase, SqliteStatement } from 'kysely'

/** Enough distinct SQL texts for every query the app makes; `in (...)` lists of new lengths add more. */
const maxStatements = 500

/**
 * Kysely's SQLite driver prepares every query again on each call; compiling SQL is a large part of
 * a chat turn. better-sqlite3 statements are reusable, so keep them by SQL text.
 */
export function withCachedStatements(database: BetterSqlite3.Database): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>()
  return {
    close: () => {
      statements.clear()
      database.close()
    },
    prepare(sql: string): SqliteStatement {
      let statement = statements.get(sql)
      if (!statement) {
        if (statements.size >= maxStatements) statements.clear()
        statement = database.prepare(sql)
        statements.set(sql, statement)
      }
      return statement
    },
  }
}
