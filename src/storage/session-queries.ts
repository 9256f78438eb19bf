import { CompiledQuery, type Kysely } from 'kysely'
import type { Database } from './database.js'
import { replaceNul } from './replace-nul-plugin.js'
import { toSession } from './row-mappers.js'
import type { Store } from './store.js'

/** Reads of sessions; leases and turn writes are the turn path's (turn-path.ts). */
export type SessionQueries = Pick<Store, 'findSession' | 'listSessionIdsOfTypebot' | 'countSessions'>

export function createSessionQueries(db: Kysely<Database>, dialect: 'sqlite' | 'postgres'): SessionQueries {
  // Compiled once: every chat turn reads its session, and building the query cost more than SQLite running it.
  const sessionByIdSql = db.selectFrom('sessions').selectAll().where('id', '=', '').compile().sql
  // Parameters of such queries skip the plugins: PostgreSQL's NUL replacement is applied by hand.
  const toParameter = dialect === 'postgres' ? replaceNul : (value: string) => value
  return {
    async findSession(id: string) {
      const { rows } = await db.executeQuery<Database['sessions']>(CompiledQuery.raw(sessionByIdSql, [toParameter(id)]))
      return rows[0] && toSession(rows[0])
    },

    async listSessionIdsOfTypebot(typebotId: string, options: { afterId?: string; limit: number }) {
      let query = db.selectFrom('sessions').select('id').where('typebot_id', '=', typebotId)
      if (options.afterId) query = query.where('id', '>', options.afterId)
      const rows = await query.orderBy('id').limit(options.limit).execute()
      return rows.map((row) => row.id)
    },

    async countSessions() {
      const row = await db
        .selectFrom('sessions')
        .select((eb) => eb.fn.countAll<number | string>().as('count'))
        .executeTakeFirstOrThrow()
      return Number(row.count)
    },
  }
}
