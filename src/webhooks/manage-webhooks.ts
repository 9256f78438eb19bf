/**
 * Webhook subscriptions of a workspace, managed by its ADMINs and MEMBERs (as credentials are).
 * The signing secret is generated here, returned once, and stored sealed to its subscription.
 */
import { assertWorkspaceRole } from '../access.js'
import type { SecretCipher } from '../credentials/secret-cipher.js'
import { AppError } from '../errors.js'
import { newId } from '../ids.js'
import type { WebhookEventType } from '../schemas/webhooks-api.js'
import type { Store, UserRecord, WebhookSubscriptionPatch, WebhookSubscriptionRecord } from '../storage/store.js'
import { generateSigningSecret } from './sign-payload.js'
import { signingSecretContext } from './webhook-dispatcher.js'

const managerRoles = ['ADMIN', 'MEMBER'] as const

export type WebhookInput = {
  url: string
  events: WebhookEventType[]
  typebotIds?: string[]
  description?: string
  isEnabled?: boolean
}

export type WebhookUpdate = {
  url?: string
  events?: WebhookEventType[]
  typebotIds?: string[] | null
  description?: string | null
  isEnabled?: boolean
  rotateSecret?: true
}

type Deps = { store: Store; cipher: SecretCipher }

export async function createWebhook(deps: Deps, user: UserRecord, workspaceId: string, input: WebhookInput) {
  await assertWorkspaceRole(deps.store, user, workspaceId, managerRoles)
  if (input.typebotIds) await assertTypebotsOfWorkspace(deps.store, workspaceId, input.typebotIds)
  const now = new Date().toISOString()
  const id = newId()
  const secret = generateSigningSecret()
  const webhook: WebhookSubscriptionRecord = {
    id,
    workspaceId,
    url: input.url,
    events: input.events,
    typebotIds: input.typebotIds ? [...new Set(input.typebotIds)] : null,
    description: input.description ?? null,
    isEnabled: input.isEnabled ?? true,
    createdAt: now,
    updatedAt: now,
  }
  await deps.store.webhooks.createSubscription({ ...webhook, secretSealed: deps.cipher.seal(secret, signingSecretContext(id)) })
  return { webhook: { ...webhook, secret } }
}

export async function listWebhooks(deps: Deps, user: UserRecord, workspaceId: string) {
  await assertWorkspaceRole(deps.store, user, workspaceId, managerRoles)
  return { webhooks: await deps.store.webhooks.listSubscriptions(workspaceId) }
}

export async function getWebhook(deps: Deps, user: UserRecord, workspaceId: string, webhookId: string) {
  return { webhook: await findWebhook(deps, user, workspaceId, webhookId) }
}

export async function updateWebhook(deps: Deps, user: UserRecord, workspaceId: string, webhookId: string, update: WebhookUpdate) {
  const existing = await findWebhook(deps, user, workspaceId, webhookId)
  if (update.typebotIds) await assertTypebotsOfWorkspace(deps.store, workspaceId, update.typebotIds)
  const { rotateSecret, ...fields } = update
  const secret = rotateSecret ? generateSigningSecret() : undefined
  const patch: WebhookSubscriptionPatch = {
    ...fields,
    ...(update.typebotIds ? { typebotIds: [...new Set(update.typebotIds)] } : {}),
    ...(secret ? { secretSealed: deps.cipher.seal(secret, signingSecretContext(existing.id)) } : {}),
  }
  await deps.store.webhooks.updateSubscription(existing.id, patch, new Date().toISOString())
  const webhook = await findWebhook(deps, user, workspaceId, webhookId)
  return { webhook: secret ? { ...webhook, secret } : webhook }
}

export async function deleteWebhook(deps: Deps, user: UserRecord, workspaceId: string, webhookId: string) {
  const existing = await findWebhook(deps, user, workspaceId, webhookId)
  await deps.store.webhooks.deleteSubscription(existing.id)
  return { message: 'success' as const }
}

/** Newest first; the cursor is the position after the last delivery of the page. */
export async function listWebhookDeliveries(
  deps: Deps,
  user: UserRecord,
  workspaceId: string,
  webhookId: string,
  query: { limit: number; cursor?: string },
) {
  const webhook = await findWebhook(deps, user, workspaceId, webhookId)
  const page = await deps.store.webhooks.listDeliveries(webhook.id, {
    limit: query.limit + 1,
    beforeSeq: query.cursor === undefined ? undefined : Number(query.cursor),
  })
  const shown = page.slice(0, query.limit)
  const last = shown.at(-1)
  return {
    deliveries: shown.map((delivery) => ({
      eventId: delivery.eventId,
      eventType: delivery.eventType,
      status: toStatus(delivery.status),
      attempts: delivery.attemptLog,
      nextAttemptAt: delivery.nextAttemptAt,
      deliveredAt: delivery.deliveredAt,
      createdAt: delivery.createdAt,
    })),
    ...(page.length > query.limit && last ? { nextCursor: String(last.seq) } : {}),
  }
}

async function findWebhook(deps: Deps, user: UserRecord, workspaceId: string, webhookId: string): Promise<WebhookSubscriptionRecord> {
  await assertWorkspaceRole(deps.store, user, workspaceId, managerRoles)
  const webhook = await deps.store.webhooks.findSubscription(webhookId)
  if (!webhook || webhook.workspaceId !== workspaceId) throw new AppError('NOT_FOUND', 'Webhook not found')
  return webhook
}

async function assertTypebotsOfWorkspace(store: Store, workspaceId: string, typebotIds: string[]) {
  const headers = await Promise.all(typebotIds.map((id) => store.findTypebotHeader(id)))
  const issues = typebotIds.flatMap((id, index) =>
    headers[index]?.workspaceId === workspaceId ? [] : [{ message: `No typebot ${id} in this workspace`, path: ['typebotIds', index] }],
  )
  if (issues.length > 0) throw new AppError('INVALID_REQUEST', 'Unknown typebots', issues)
}

function toStatus(status: string): 'pending' | 'delivered' | 'failed' {
  return status === 'delivered' || status === 'failed' ? status : 'pending'
}
