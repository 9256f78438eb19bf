import { z } from 'zod'
import { workspaceParamsSchema } from '../../schemas/management-api.js'
import {
  createWebhookRequestSchema,
  listDeliveriesQuerySchema,
  listDeliveriesResponseSchema,
  listWebhooksResponseSchema,
  updatedWebhookResponseSchema,
  updateWebhookRequestSchema,
  webhookParamsSchema,
  webhookResponseSchema,
  webhookWithSecretResponseSchema,
} from '../../schemas/webhooks-api.js'
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listWebhookDeliveries,
  listWebhooks,
  updateWebhook,
} from '../../webhooks/manage-webhooks.js'
import type { AppDeps } from '../app.js'
import { bearerSecurity, createUserGuard } from '../require-user.js'
import type { TypedApp } from '../typed-app.js'

/**
 * Event webhooks of a workspace: subscriptions (ADMIN and MEMBER manage them) and the log of
 * their deliveries. Each delivery is a signed JSON POST, retried for at least a day.
 */
export function registerWebhookRoutes(app: TypedApp, deps: AppDeps) {
  const guard = createUserGuard(deps.store)
  const protectedRoute = { onRequest: guard.onRequest }
  const tags = ['Webhooks']
  const managed = { store: deps.store, cipher: deps.cipher }

  app.post(
    '/v1/workspaces/:workspaceId/webhooks',
    {
      ...protectedRoute,
      schema: {
        summary: 'Subscribe to events',
        description:
          'Events are POSTed as JSON `{ id, type, createdAt, workspaceId, typebotId, data }` with `X-Botflow-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`; failed deliveries are retried with exponential backoff. The secret is in this response only.',
        tags,
        security: bearerSecurity,
        params: workspaceParamsSchema,
        body: createWebhookRequestSchema,
        response: { 200: webhookWithSecretResponseSchema },
      },
    },
    async (request) => createWebhook(managed, guard.userOf(request), request.params.workspaceId, request.body),
  )

  app.get(
    '/v1/workspaces/:workspaceId/webhooks',
    {
      ...protectedRoute,
      schema: {
        summary: 'List webhook subscriptions',
        tags,
        security: bearerSecurity,
        params: workspaceParamsSchema,
        response: { 200: listWebhooksResponseSchema },
      },
    },
    async (request) => listWebhooks(managed, guard.userOf(request), request.params.workspaceId),
  )

  app.get(
    '/v1/workspaces/:workspaceId/webhooks/:webhookId',
    {
      ...protectedRoute,
      schema: {
        summary: 'Get a webhook subscription',
        tags,
        security: bearerSecurity,
        params: webhookParamsSchema,
        response: { 200: webhookResponseSchema },
      },
    },
    async (request) => getWebhook(managed, guard.userOf(request), request.params.workspaceId, request.params.webhookId),
  )

  app.patch(
    '/v1/workspaces/:workspaceId/webhooks/:webhookId',
    {
      ...protectedRoute,
      schema: {
        summary: 'Update a webhook subscription',
        description: 'With `rotateSecret: true` the signing secret is replaced at once and the new one is in this response only.',
        tags,
        security: bearerSecurity,
        params: webhookParamsSchema,
        body: updateWebhookRequestSchema,
        response: { 200: updatedWebhookResponseSchema },
      },
    },
    async (request) => updateWebhook(managed, guard.userOf(request), request.params.workspaceId, request.params.webhookId, request.body),
  )

  app.delete(
    '/v1/workspaces/:workspaceId/webhooks/:webhookId',
    {
      ...protectedRoute,
      schema: {
        summary: 'Delete a webhook subscription',
        description: 'Its pending deliveries are dropped.',
        tags,
        security: bearerSecurity,
        params: webhookParamsSchema,
        response: { 200: z.object({ message: z.literal('success') }) },
      },
    },
    async (request) => deleteWebhook(managed, guard.userOf(request), request.params.workspaceId, request.params.webhookId),
  )

  app.get(
    '/v1/workspaces/:workspaceId/webhooks/:webhookId/deliveries',
    {
      ...protectedRoute,
      schema: {
        summary: 'List the deliveries of a webhook subscription',
        description: 'Newest first, each with its attempts (time, status code or error, duration) and its next attempt when pending.',
        tags,
        security: bearerSecurity,
        params: webhookParamsSchema,
        querystring: listDeliveriesQuerySchema,
        response: { 200: listDeliveriesResponseSchema },
      },
    },
    async (request) =>
      listWebhookDeliveries(managed, guard.userOf(request), request.params.workspaceId, request.params.webhookId, request.query),
  )
}
