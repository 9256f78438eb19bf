/**
 * The delivery loop: every server process polls the outbox, claims due deliveries (each is given
 * to one process: PostgreSQL skips rows another process locked, SQLite has one writer), POSTs them
 * signed through the SSRF guard, and records each attempt. A failed attempt is retried with
 * exponential backoff until `retryForMs` after the event; a process that dies mid-delivery leaves
 * a lease that expires, and another process tries again (delivery is at least once: receivers
 * drop an event id they already handled).
 */
import { randomUUID } from 'node:crypto'
import type { SecretCipher } from '../credentials/secret-cipher.js'
import { performHttpRequest } from '../effects/http-request.js'
import type { ClaimedDelivery, DeliveryOutcome, Store } from '../storage/store.js'
import { signPayload } from './sign-payload.js'

export type WebhookDispatcherOptions = {
  store: Store
  cipher: SecretCipher
  /** Loopback and private targets: tests and development only (ALLOW_PRIVATE_HTTP_TARGETS). */
  allowPrivateTargets: boolean
  timeoutMs: number
  retryBaseMs: number
  retryForMs: number
  /** Schedules retries; the tests move it forward. */
  now: () => number
  onError?: (error: unknown) => void
  /** Hears each attempt's outcome (metrics): `failed` will be retried, `dead` will not. */
  onAttempt?: (outcome: 'delivered' | 'failed' | 'dead') => void
}

/** `stop(graceMs)`: no new attempts; attempts still running after `graceMs` are cut (and retried later). */
export type WebhookDispatcher = { stop(graceMs?: number): Promise<void> }

const claimSize = 8
const maxRetryDelayMs = 3_600_000

export function startWebhookDispatcher(options: WebhookDispatcherOptions): WebhookDispatcher {
  const owner = randomUUID()
  // Polls at least every second; quicker when retries are quicker (tests).
  const pollMs = Math.min(1_000, options.retryBaseMs)
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> = Promise.resolve()
  let isStopped = false
  const inFlight = new AbortController()

  const schedule = (delayMs: number) => {
    if (isStopped) return
    timer = setTimeout(() => {
      running = tick()
    }, delayMs)
    timer.unref()
  }

  async function tick(): Promise<void> {
    let claimed = 0
    try {
      claimed = await deliverDue(options, owner, inFlight.signal)
    } catch (error) {
      options.onError?.(error)
    }
    schedule(claimed === claimSize ? 0 : pollMs)
  }

  schedule(0)
  return {
    async stop(graceMs) {
      isStopped = true
      if (timer) clearTimeout(timer)
      const grace = graceMs === undefined ? undefined : setTimeout(() => inFlight.abort(), graceMs)
      try {
        await running
      } finally {
        clearTimeout(grace)
      }
    },
  }
}

async function deliverDue(options: WebhookDispatcherOptions, owner: string, signal: AbortSignal): Promise<number> {
  const { store, timeoutMs } = options
  const now = new Date(options.now()).toISOString()
  if (!(await store.webhooks.hasDueDeliveries(now))) return 0
  // An attempt ends by its timeout; the margin covers recording it. A process that died holds
  // its deliveries no longer than this.
  const leaseUntil = new Date(options.now() + 2 * timeoutMs + 1_000).toISOString()
  const deliveries = await store.webhooks.claimDueDeliveries({ now, limit: claimSize, owner, leaseUntil })
  await Promise.all(
    deliveries.map(async (delivery) => {
      const outcome = await attempt(options, delivery, signal)
      await store.webhooks.completeDelivery(delivery.seq, owner, outcome)
      options.onAttempt?.(outcome.status === 'delivered' ? 'delivered' : outcome.status === 'pending' ? 'failed' : 'dead')
    }),
  )
  return deliveries.length
}

async function attempt(options: WebhookDispatcherOptions, delivery: ClaimedDelivery, signal: AbortSignal): Promise<DeliveryOutcome> {
  const attemptedAt = new Date(options.now()).toISOString()
  const started = performance.now()
  const result = await send(options, delivery, signal)
  const durationMs = Math.round(performance.now() - started)
  const record = { attemptedAt, statusCode: result.statusCode, error: result.error, durationMs }
  if (result.isDelivered) return { status: 'delivered', attempt: record }
  const delay = Math.min(options.retryBaseMs * 2 ** (delivery.attempts - 1), maxRetryDelayMs) * (0.9 + Math.random() * 0.2)
  const nextAttempt = options.now() + delay
  if (nextAttempt > Date.parse(delivery.createdAt) + options.retryForMs) return { status: 'failed', attempt: record }
  return { status: 'pending', nextAttemptAt: new Date(nextAttempt).toISOString(), attempt: record }
}

async function send(
  options: WebhookDispatcherOptions,
  delivery: ClaimedDelivery,
  signal: AbortSignal,
): Promise<{ isDelivered: boolean; statusCode: number | null; error: string | null }> {
  let secret: string
  try {
    secret = options.cipher.open(delivery.subscription.secretSealed, signingSecretContext(delivery.subscription.id))
  } catch {
    // Nothing goes out unsigned: the key changed, the attempt fails and is retried.
    return { isDelivered: false, statusCode: null, error: 'The signing secret does not open with this ENCRYPTION_SECRET' }
  }
  const response = await performHttpRequest(
    {
      url: delivery.subscription.url,
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'botflow-webhooks/1',
        'x-botflow-event': delivery.eventType,
        'x-botflow-event-id': delivery.eventId,
        'x-botflow-signature': signPayload(secret, delivery.payload, Math.floor(Date.now() / 1000)),
      },
      body: delivery.payload,
    },
    {
      allowPrivateTargets: options.allowPrivateTargets,
      defaultTimeoutMs: options.timeoutMs,
      maxResponseBytes: 64 * 1024,
      followsRedirects: false,
      signal,
    },
  )
  if (response.error !== undefined) return { isDelivered: false, statusCode: null, error: response.error }
  const isDelivered = response.statusCode >= 200 && response.statusCode < 300
  return { isDelivered, statusCode: response.statusCode, error: isDelivered ? null : `The receiver answered ${response.statusCode}` }
}

/** Binds a sealed signing secret to its subscription: copied to another row, it does not open. */
export function signingSecretContext(subscriptionId: string): string {
  return `webhook:${subscriptionId}`
}
