/**
 * The event webhooks API: subscriptions of a workspace and their deliveries, and Typebot's
 * Zapier/Make subscriptions of HTTP request blocks (`shared/reference/openapi/builder-api.json`).
 */
import { z } from 'zod'

export const webhookEventTypes = [
  'session.started',
  'session.completed',
  'session.paused',
  'session.resumed',
  'session.closed',
  'session.updated',
  'answer.received',
  'message.received',
  'typebot.published',
] as const

export type WebhookEventType = (typeof webhookEventTypes)[number]

const httpUrlSchema = z
  .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
  .max(2000)
  .describe('Where deliveries are POSTed (checked by the SSRF guard at every delivery)')

const eventsSchema = z
  .array(z.enum(webhookEventTypes))
  .min(1)
  .refine((events) => new Set(events).size === events.length, 'Each event only once')

export const webhookParamsSchema = z.object({ workspaceId: z.string(), webhookId: z.string() })

export const createWebhookRequestSchema = z.object({
  url: httpUrlSchema,
  events: eventsSchema,
  typebotIds: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .describe('Only events of these typebots; all typebots of the workspace when absent'),
  description: z.string().max(500).optional(),
  isEnabled: z.boolean().optional(),
})

export const updateWebhookRequestSchema = z.object({
  url: httpUrlSchema.optional(),
  events: eventsSchema.optional(),
  typebotIds: z.array(z.string().min(1)).min(1).nullable().optional().describe('null: every typebot of the workspace'),
  description: z.string().max(500).nullable().optional(),
  isEnabled: z.boolean().optional(),
  rotateSecret: z.literal(true).optional().describe('Replace the signing secret; the new one is in the response, once'),
})

const webhookSchema = z.object({
  id: z.string(),
  workspaceId: z.string(),
  url: z.string(),
  events: z.array(z.string()).describe('Event types delivered'),
  typebotIds: z.array(z.string()).nullable(),
  description: z.string().nullable(),
  isEnabled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
})

const secretSchema = z
  .string()
  .describe(
    'The signing secret, shown this once: deliveries carry X-Botflow-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>',
  )

export const webhookResponseSchema = z.object({ webhook: webhookSchema })
export const webhookWithSecretResponseSchema = z.object({ webhook: webhookSchema.extend({ secret: secretSchema }) })
export const updatedWebhookResponseSchema = z.object({ webhook: webhookSchema.extend({ secret: secretSchema.optional() }) })
export const listWebhooksResponseSchema = z.object({ webhooks: z.array(webhookSchema) })

export const listDeliveriesQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().regex(/^\d+$/).optional().describe('nextCursor of the previous page'),
})

const attemptSchema = z.object({
  attemptedAt: z.string(),
  statusCode: z.number().int().nullable().describe('null when no response came (refused, unreachable, timed out)'),
  error: z.string().nullable(),
  durationMs: z.number().int(),
})

export const listDeliveriesResponseSchema = z.object({
  deliveries: z.array(
    z.object({
      eventId: z.string(),
      eventType: z.string(),
      status: z.enum(['pending', 'delivered', 'failed']),
      attempts: z.array(attemptSchema),
      nextAttemptAt: z.string().nullable(),
      deliveredAt: z.string().nullable(),
      createdAt: z.string(),
    }),
  ),
  nextCursor: z.string().optional(),
})

// ---------------------------------------------------------------- HTTP request blocks (Zapier, Make)

export const webhookBlockParamsSchema = z.object({ typebotId: z.string(), blockId: z.string() })

export const listWebhookBlocksResponseSchema = z.object({
  webhookBlocks: z.array(
    z.object({
      id: z.string(),
      type: z.enum(['Webhook', 'Zapier', 'Make.com', 'Pabbly']),
      label: z.string(),
      url: z.string().optional(),
    }),
  ),
})

export const subscribeWebhookBlockRequestSchema = z.object({ url: httpUrlSchema })

export const webhookBlockSubscriptionResponseSchema = z.object({ id: z.string(), url: z.string().nullable() })

export const resultExampleResponseSchema = z.object({
  resultExample: z.record(z.string(), z.unknown()).describe('Can contain any fields.'),
})
