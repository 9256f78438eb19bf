/**
 * The events botflow sends to webhook subscribers. Every delivery body is
 * `{ id, type, createdAt, workspaceId, typebotId, data }`; `id` is the same for every attempt and
 * every subscriber, so receivers can drop a delivery they already handled.
 */
import type { WebhookEventType } from '../schemas/webhooks-api.js'
import type { WebhookEventRecord } from '../storage/store.js'

export type WebhookEventInput = {
  type: WebhookEventType
  workspaceId: string
  typebotId: string | null
  data: Record<string, unknown>
}

export function createWebhookEvent(input: WebhookEventInput, ids: { now(): number; newId(): string }): WebhookEventRecord {
  const id = ids.newId()
  const createdAt = new Date(ids.now()).toISOString()
  const payload = JSON.stringify({
    id,
    type: input.type,
    createdAt,
    workspaceId: input.workspaceId,
    typebotId: input.typebotId,
    data: input.data,
  })
  return { id, type: input.type, workspaceId: input.workspaceId, typebotId: input.typebotId, payload, createdAt }
}
