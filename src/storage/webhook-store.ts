/**
 * Event webhooks: subscriptions, the outbox of deliveries (written with the turns, see
 * control-records.ts) and their attempts, and Zapier/Make subscriptions of HTTP request blocks.
 */
import { type Kysely, sql } from 'kysely'
import { insertWebhookEvents, type WebhookEventRecord } from './control-records.js'
import type { Database } from './database.js'

export type WebhookSubscriptionRecord = {
  id: string
  workspaceId: string
  url: string
  events: string[]
  /** null: every typebot of the workspace. */
  typebotIds: string[] | null
  description: string | null
  isEnabled: boolean
  createdAt: string
  updatedAt: string
}

export type WebhookSubscriptionPatch = Partial<
  Pick<WebhookSubscriptionRecord, 'url' | 'events' | 'typebotIds' | 'description' | 'isEnabled'>
> & {
  secretSealed?: string
}

/** A delivery taken by one process for one attempt. */
export type ClaimedDelivery = {
  seq: number
  eventId: string
  eventType: string
  payload: string
  /** Attempts so far, this one included. */
  attempts: number
  createdAt: string
  subscription: { id: string; url: string; secretSealed: string }
}

export type DeliveryOutcome = {
  status: 'delivered' | 'pending' | 'failed'
  nextAttemptAt?: string
  attempt: { attemptedAt: string; statusCode: number | null; error: string | null; durationMs: number }
}

export type DeliveryRecord = {
  seq: number
  eventId: string
  eventType: string
  status: string
  attempts: number
  nextAttemptAt: string | null
  lastStatusCode: number | null
  lastError: string | null
  deliveredAt: string | null
  createdAt: string
  attemptLog: { attemptedAt: string; statusCode: number | null; error: string | null; durationMs: number }[]
}

export interface WebhookStore {
  createSubscription(subscription: WebhookSubscriptionRecord & { secretSealed: string }): Promise<void>
  listSubscriptions(workspaceId: string): Promise<WebhookSubscriptionRecord[]>
  findSubscription(id: string): Promise<WebhookSubscriptionRecord | undefined>
  updateSubscription(id: string, patch: WebhookSubscriptionPatch, updatedAt: string): Promise<void>
  deleteSubscription(id: string): Promise<boolean>

  /** Events written outside a chat turn (typebot.published). */
  insertEvents(events: WebhookEventRecord[]): Promise<void>
  /** A read that takes no write lock: whether a claim would find anything. */
  hasDueDeliveries(now: string): Promise<boolean>
  /** Takes up to `limit` due deliveries of enabled subscriptions; each is given to one caller only. */
  claimDueDeliveries(options: { now: string; limit: number; owner: string; leaseUntil: string }): Promise<ClaimedDelivery[]>
  /** Logs the attempt and records its outcome, unless the lease was lost meanwhile. */
  completeDelivery(seq: number, owner: string, outcome: DeliveryOutcome): Promise<void>
  /** Newest first, each with its attempts. */
  listDeliveries(subscriptionId: string, options: { limit: number; beforeSeq?: number }): Promise<DeliveryRecord[]>

  findBlockSubscriptionUrl(typebotId: string, blockId: string): Promise<string | undefined>
  listBlockSubscriptions(typebotId: string): Promise<{ blockId: string; url: string }[]>
  setBlockSubscription(typebotId: string, blockId: string, url: string | null, now: string): Promise<void>
}

const toList = (values: readonly string[]) => `,${values.join(',')},`
const fromList = (text: string) => text.split(',').filter(Boolean)

export class KyselyWebhookStore implements WebhookStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: 'sqlite' | 'postgres',
  ) {}

  async createSubscription(subscription: WebhookSubscriptionRecord & { secretSealed: string }) {
    await this.db
      .insertInto('webhook_subscriptions')
      .values({
        id: subscription.id,
        workspace_id: subscription.workspaceId,
        url: subscription.url,
        events: toList(subscription.events),
        typebot_ids: subscription.typebotIds ? toList(subscription.typebotIds) : null,
        secret_sealed: subscription.secretSealed,
        description: subscription.description,
        is_enabled: subscription.isEnabled ? 1 : 0,
        created_at: subscription.createdAt,
        updated_at: subscription.updatedAt,
      })
      .execute()
  }

  async listSubscriptions(workspaceId: string) {
    const rows = await this.db
      .selectFrom('webhook_subscriptions')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .orderBy('created_at')
      .orderBy('id')
      .execute()
    return rows.map(toSubscription)
  }

  async findSubscription(id: string) {
    const row = await this.db.selectFrom('webhook_subscriptions').selectAll().where('id', '=', id).executeTakeFirst()
    return row && toSubscription(row)
  }

  async updateSubscription(id: string, patch: WebhookSubscriptionPatch, updatedAt: string) {
    const set: Partial<Database['webhook_subscriptions']> = { updated_at: updatedAt }
    if (patch.url !== undefined) set.url = patch.url
    if (patch.events !== undefined) set.events = toList(patch.events)
    if (patch.typebotIds !== undefined) set.typebot_ids = patch.typebotIds ? toList(patch.typebotIds) : null
    if (patch.description !== undefined) set.description = patch.description
    if (patch.isEnabled !== undefined) set.is_enabled = patch.isEnabled ? 1 : 0
    if (patch.secretSealed !== undefined) set.secret_sealed = patch.secretSealed
    await this.db.updateTable('webhook_subscriptions').set(set).where('id', '=', id).execute()
  }

  async deleteSubscription(id: string) {
    const result = await this.db.deleteFrom('webhook_subscriptions').where('id', '=', id).executeTakeFirst()
    return Number(result.numDeletedRows) > 0
  }

  async insertEvents(events: WebhookEventRecord[]) {
    if (events.length > 0) await insertWebhookEvents(this.db, events)
  }

  async hasDueDeliveries(now: string) {
    const row = await this.db
      .selectFrom('webhook_deliveries')
      .select('seq')
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
      .limit(1)
      .executeTakeFirst()
    return row !== undefined
  }

  async claimDueDeliveries(options: { now: string; limit: number; owner: string; leaseUntil: string }): Promise<ClaimedDelivery[]> {
    const { now, limit, owner, leaseUntil } = options
    // PostgreSQL: rows another process is claiming are skipped, not waited for. SQLite has one
    // writer at a time, so the statement alone is enough there.
    const lock = sql.raw(this.dialect === 'postgres' ? 'FOR UPDATE OF d SKIP LOCKED' : '')
    const { rows } = await sql<{
      seq: number | string
      event_id: string
      subscription_id: string
      event_type: string
      payload: string
      attempts: number
      created_at: string
    }>`UPDATE webhook_deliveries SET lease_until = ${leaseUntil}, lease_owner = ${owner}, attempts = attempts + 1
      WHERE seq IN (
        SELECT d.seq FROM webhook_deliveries d JOIN webhook_subscriptions w ON w.id = d.subscription_id
        WHERE d.status = 'pending' AND d.next_attempt_at <= ${now} AND (d.lease_until IS NULL OR d.lease_until <= ${now}) AND w.is_enabled = 1
        ORDER BY d.next_attempt_at, d.seq LIMIT ${limit} ${lock})
      RETURNING seq, event_id, subscription_id, event_type, payload, attempts, created_at`.execute(this.db)
    if (rows.length === 0) return []
    const subscriptions = await this.db
      .selectFrom('webhook_subscriptions')
      .select(['id', 'url', 'secret_sealed'])
      .where('id', 'in', [...new Set(rows.map((row) => row.subscription_id))])
      .execute()
    const byId = new Map(subscriptions.map((row) => [row.id, { id: row.id, url: row.url, secretSealed: row.secret_sealed }]))
    return rows.flatMap((row) => {
      const subscription = byId.get(row.subscription_id)
      if (!subscription) return []
      return [
        {
          seq: Number(row.seq),
          eventId: row.event_id,
          eventType: row.event_type,
          payload: row.payload,
          attempts: Number(row.attempts),
          createdAt: row.created_at,
          subscription,
        },
      ]
    })
  }

  async completeDelivery(seq: number, owner: string, outcome: DeliveryOutcome) {
    const { attempt } = outcome
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('webhook_attempts')
        .values({
          delivery_seq: seq,
          attempted_at: attempt.attemptedAt,
          status_code: attempt.statusCode,
          error: attempt.error,
          duration_ms: attempt.durationMs,
        })
        .execute()
      await trx
        .updateTable('webhook_deliveries')
        .set({
          status: outcome.status,
          next_attempt_at: outcome.nextAttemptAt ?? attempt.attemptedAt,
          lease_until: null,
          lease_owner: null,
          last_status_code: attempt.statusCode,
          last_error: attempt.error,
          delivered_at: outcome.status === 'delivered' ? attempt.attemptedAt : null,
        })
        .where('seq', '=', seq)
        .where('lease_owner', '=', owner)
        .execute()
    })
  }

  async listDeliveries(subscriptionId: string, options: { limit: number; beforeSeq?: number }): Promise<DeliveryRecord[]> {
    let query = this.db.selectFrom('webhook_deliveries').selectAll().where('subscription_id', '=', subscriptionId)
    if (options.beforeSeq !== undefined) query = query.where('seq', '<', options.beforeSeq)
    const rows = await query.orderBy('seq', 'desc').limit(options.limit).execute()
    if (rows.length === 0) return []
    const attempts = await this.db
      .selectFrom('webhook_attempts')
      .selectAll()
      .where(
        'delivery_seq',
        'in',
        rows.map((row) => Number(row.seq)),
      )
      .orderBy('seq')
      .execute()
    return rows.map((row) => ({
      seq: Number(row.seq),
      eventId: row.event_id,
      eventType: row.event_type,
      status: row.status,
      attempts: Number(row.attempts),
      nextAttemptAt: row.status === 'pending' ? row.next_attempt_at : null,
      lastStatusCode: row.last_status_code === null ? null : Number(row.last_status_code),
      lastError: row.last_error,
      deliveredAt: row.delivered_at,
      createdAt: row.created_at,
      attemptLog: attempts
        .filter((attempt) => Number(attempt.delivery_seq) === Number(row.seq))
        .map((attempt) => ({
          attemptedAt: attempt.attempted_at,
          statusCode: attempt.status_code === null ? null : Number(attempt.status_code),
          error: attempt.error,
          durationMs: Number(attempt.duration_ms),
        })),
    }))
  }

  async findBlockSubscriptionUrl(typebotId: string, blockId: string) {
    const row = await this.db
      .selectFrom('webhook_block_subscriptions')
      .select('url')
      .where('typebot_id', '=', typebotId)
      .where('block_id', '=', blockId)
      .executeTakeFirst()
    return row?.url
  }

  async listBlockSubscriptions(typebotId: string) {
    const rows = await this.db
      .selectFrom('webhook_block_subscriptions')
      .select(['block_id', 'url'])
      .where('typebot_id', '=', typebotId)
      .execute()
    return rows.map((row) => ({ blockId: row.block_id, url: row.url }))
  }

  async setBlockSubscription(typebotId: string, blockId: string, url: string | null, now: string) {
    if (url === null) {
      await this.db.deleteFrom('webhook_block_subscriptions').where('typebot_id', '=', typebotId).where('block_id', '=', blockId).execute()
      return
    }
    await this.db
      .insertInto('webhook_block_subscriptions')
      .values({ typebot_id: typebotId, block_id: blockId, url, created_at: now })
      .onConflict((oc) => oc.columns(['typebot_id', 'block_id']).doUpdateSet({ url, created_at: now }))
      .execute()
  }
}

function toSubscription(row: Database['webhook_subscriptions']): WebhookSubscriptionRecord {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    url: row.url,
    events: fromList(row.events),
    typebotIds: row.typebot_ids === null ? null : fromList(row.typebot_ids),
    description: row.description,
    isEnabled: Number(row.is_enabled) === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}
