import type { Kysely } from 'kysely'
import type { Database } from './database.js'
import { prepared } from './prepared-queries.js'
import { toApiToken, toUser } from './row-mappers.js'
import type { Store } from './store.js'
import { now } from './write-rules.js'

/** Users and their API tokens. */
export type UserQueries = Pick<
  Store,
  'findUserByEmail' | 'createUser' | 'createApiToken' | 'findApiTokenByHash' | 'listApiTokens' | 'deleteApiToken' | 'touchApiToken'
>

export function createUserQueries(db: Kysely<Database>): UserQueries {
  return {
    async findUserByEmail(email: string) {
      const row = await db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst()
      return row && toUser(row)
    },

    async createUser(user: { id: string; email: string; name: string | null }) {
      const row = { id: user.id, email: user.email.toLowerCase(), name: user.name, created_at: now() }
      await db.insertInto('users').values(row).execute()
      return toUser(row)
    },

    async createApiToken(token: { id: string; userId: string; name: string; tokenHash: string }) {
      const row = {
        id: token.id,
        user_id: token.userId,
        name: token.name,
        token_hash: token.tokenHash,
        created_at: now(),
        last_used_at: null,
      }
      await db.insertInto('api_tokens').values(row).execute()
      return toApiToken(row)
    },

    async findApiTokenByHash(tokenHash: string) {
      const row = await prepared(
        db
          .selectFrom('api_tokens')
          .innerJoin('users', 'users.id', 'api_tokens.user_id')
          .selectAll('api_tokens')
          .select(['users.email', 'users.name as user_name', 'users.created_at as user_created_at'])
          .where('api_tokens.token_hash', '=', tokenHash),
      ).executeTakeFirst()
      if (!row) return undefined
      const user = toUser({ id: row.user_id, email: row.email, name: row.user_name, created_at: row.user_created_at })
      return { token: { ...toApiToken(row), tokenHash: row.token_hash }, user }
    },

    async listApiTokens(userId: string) {
      const rows = await db.selectFrom('api_tokens').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').execute()
      return rows.map(toApiToken)
    },

    async deleteApiToken(userId: string, tokenId: string) {
      const result = await db.deleteFrom('api_tokens').where('id', '=', tokenId).where('user_id', '=', userId).executeTakeFirst()
      return Number(result.numDeletedRows) > 0
    },

    async touchApiToken(tokenId: string) {
      await db.updateTable('api_tokens').set({ last_used_at: now() }).where('id', '=', tokenId).execute()
    },
  }
}
