import type { FastifyRequest } from 'fastify'
import { authenticate } from '../auth.js'
import { AppError } from '../errors.js'
import type { Store, UserRecord } from '../storage/store.js'

/**
 * Authentication for protected routes. `onRequest` runs before the body is read and validated,
 * so an anonymous caller gets 401, never a 400 describing the schema or a 413.
 */
export function createUserGuard(store: Store) {
  const users = new WeakMap<FastifyRequest, UserRecord>()
  return {
    onRequest: async (request: FastifyRequest) => {
      users.set(request, await authenticate(store, request.headers.authorization))
    },
    userOf(request: FastifyRequest): UserRecord {
      const user = users.get(request)
      if (!user) throw new AppError('INTERNAL', 'Protected route registered without its onRequest guard')
      return user
    },
  }
}

/** OpenAPI fields shared by every protected route. */
export const bearerSecurity = [{ Authorization: [] }]
