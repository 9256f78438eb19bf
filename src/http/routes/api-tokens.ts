import { AppError } from '../../errors.js'
import {
  apiTokenParamsSchema,
  createApiTokenRequestSchema,
  createApiTokenResponseSchema,
  deleteApiTokenResponseSchema,
  listApiTokensResponseSchema,
} from '../../schemas/management-api.js'
import { createApiToken } from '../../typebots/create-api-token.js'
import type { AppDeps } from '../app.js'
import { bearerSecurity, createUserGuard } from '../require-user.js'
import type { TypedApp } from '../typed-app.js'

export function registerApiTokenRoutes(app: TypedApp, deps: AppDeps) {
  const { store } = deps
  const guard = createUserGuard(store)
  const tags = ['User']

  app.get(
    '/v1/users/me/api-tokens',
    {
      onRequest: guard.onRequest,
      schema: {
        summary: 'List API tokens',
        description: "The caller's tokens, newest first; their secrets are never shown again.",
        tags,
        security: bearerSecurity,
        response: { 200: listApiTokensResponseSchema },
      },
    },
    async (request) => {
      const tokens = await store.listApiTokens(guard.userOf(request).id)
      return { apiTokens: tokens.map(({ id, name, createdAt }) => ({ id, name, createdAt })) }
    },
  )

  app.post(
    '/v1/users/me/api-tokens',
    {
      onRequest: guard.onRequest,
      schema: {
        summary: 'Create an API token',
        description: 'The response holds the secret, the only time it is shown.',
        tags,
        security: bearerSecurity,
        body: createApiTokenRequestSchema,
        response: { 200: createApiTokenResponseSchema },
      },
    },
    async (request) => {
      const { id, name, createdAt, token } = await createApiToken(store, guard.userOf(request).id, request.body.name)
      return { apiToken: { id, name, createdAt, token } }
    },
  )

  app.delete(
    '/v1/users/me/api-tokens/:tokenId',
    {
      onRequest: guard.onRequest,
      schema: {
        summary: 'Delete an API token',
        description: "Requests with this token are refused from now on. 404 for a token that is not one of the caller's.",
        tags,
        security: bearerSecurity,
        params: apiTokenParamsSchema,
        response: { 200: deleteApiTokenResponseSchema },
      },
    },
    async (request) => {
      const user = guard.userOf(request)
      const token = (await store.listApiTokens(user.id)).find((candidate) => candidate.id === request.params.tokenId)
      if (!token || !(await store.deleteApiToken(user.id, token.id))) throw new AppError('NOT_FOUND', 'API token not found')
      return { apiToken: { id: token.id, name: token.name, createdAt: token.createdAt, ownerId: user.id } }
    },
  )
}
