import { z } from 'zod'
import { requireTypebotAccess } from '../../access.js'
import { buildSampleResult } from '../../results/sample-result.js'
import { typebotParamsSchema } from '../../schemas/management-api.js'
import {
  listWebhookBlocksResponseSchema,
  resultExampleResponseSchema,
  subscribeWebhookBlockRequestSchema,
  webhookBlockParamsSchema,
  webhookBlockSubscriptionResponseSchema,
} from '../../schemas/webhooks-api.js'
import { listWebhookBlocks, subscribeWebhookBlock } from '../../webhooks/webhook-blocks.js'
import type { AppDeps } from '../app.js'
import { bearerSecurity, createUserGuard } from '../require-user.js'
import type { TypedApp } from '../typed-app.js'

/** Typebot's endpoints for Zapier and Make: list HTTP request blocks, (un)subscribe a URL, a sample result. */
export function registerWebhookBlockRoutes(app: TypedApp, deps: AppDeps) {
  const { store } = deps
  const guard = createUserGuard(store)
  const protectedRoute = { onRequest: guard.onRequest }
  const tags = ['HTTP request']

  app.get(
    '/v1/typebots/:typebotId/webhookBlocks',
    {
      ...protectedRoute,
      schema: {
        operationId: 'httpRequest-listHttpRequestBlocks',
        summary: 'List HTTP request blocks',
        description: 'Returns a list of all the HTTP request blocks that you can subscribe to.',
        tags,
        security: bearerSecurity,
        params: typebotParamsSchema,
        response: { 200: listWebhookBlocksResponseSchema },
      },
    },
    async (request) => listWebhookBlocks(store, guard.userOf(request), request.params.typebotId),
  )

  app.get(
    '/v1/typebots/:typebotId/webhookBlocks/:blockId/getResultExample',
    {
      ...protectedRoute,
      schema: {
        operationId: 'httpRequest-getResultExample',
        summary: 'Get result example',
        description: 'Returns "fake" result for http request block to help you anticipate how the webhook will behave.',
        tags,
        security: bearerSecurity,
        params: webhookBlockParamsSchema,
        response: { 200: resultExampleResponseSchema },
      },
    },
    async (request) => {
      const user = guard.userOf(request)
      const typebot = await requireTypebotAccess(store, user, request.params.typebotId, 'read')
      return { resultExample: buildSampleResult(typebot, request.params.blockId, { userEmail: user.email, now: Date.now() }) }
    },
  )

  app.post(
    '/v1/typebots/:typebotId/webhookBlocks/:blockId/subscribe',
    {
      ...protectedRoute,
      schema: {
        operationId: 'httpRequest-subscribeHttpRequest',
        summary: 'Subscribe to HTTP request block',
        description: 'The block sends its request to this URL from now on, in running chats too (no new publish needed).',
        tags,
        security: bearerSecurity,
        params: webhookBlockParamsSchema,
        body: subscribeWebhookBlockRequestSchema,
        response: { 200: webhookBlockSubscriptionResponseSchema },
      },
    },
    async (request) =>
      subscribeWebhookBlock(store, guard.userOf(request), request.params.typebotId, request.params.blockId, request.body.url),
  )

  app.post(
    '/v1/typebots/:typebotId/webhookBlocks/:blockId/unsubscribe',
    {
      ...protectedRoute,
      schema: {
        operationId: 'httpRequest-unsubscribeHttpRequest',
        summary: 'Unsubscribe from HTTP request block',
        tags,
        security: bearerSecurity,
        params: webhookBlockParamsSchema,
        body: z.object({}).optional(),
        response: { 200: webhookBlockSubscriptionResponseSchema },
      },
    },
    async (request) => subscribeWebhookBlock(store, guard.userOf(request), request.params.typebotId, request.params.blockId, null),
  )
}
