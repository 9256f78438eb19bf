/**
 * Stripe for payment inputs: creates the PaymentIntent a client pays, and reads its status back
 * before a "paid" reply is accepted. Stripe errors are values (the block logs them).
 */
import type { EffectRequest, EffectResult } from '../../engine/types.js'

/** The data of `stripe` credentials (Typebot's shape). */
export type StripeCredentialsData = {
  live: { secretKey: string; publicKey: string }
  test?: { secretKey?: string; publicKey?: string }
}

/** Finds a workspace's Stripe credentials: the block's, else the workspace's only ones. */
export type FindStripeCredentials = (
  workspaceId: string,
  credentialsId: string | undefined,
) => Promise<{ ok: true; id: string; data: StripeCredentialsData } | { ok: false; error: string }>

type CreateRequest = Extract<EffectRequest, { type: 'createPaymentIntent' }>
type RetrieveRequest = Extract<EffectRequest, { type: 'retrievePaymentIntent' }>

export type StripePayments = {
  create(request: CreateRequest): Promise<Extract<EffectResult, { type: 'createPaymentIntent' }>>
  retrieve(request: RetrieveRequest): Promise<Extract<EffectResult, { type: 'retrievePaymentIntent' }>>
}

export function createStripePayments(deps: {
  findCredentials: FindStripeCredentials
  /** Tests: a fake Stripe on 127.0.0.1 (`STRIPE_API_BASE`). */
  apiBase?: string
  timeoutMs: number
}): StripePayments {
  const clients = new Map<string, Promise<StripeClient>>()
  const clientFor = (secretKey: string) => {
    let client = clients.get(secretKey)
    if (!client) {
      client = createClient(secretKey, deps)
      clients.set(secretKey, client)
    }
    return client
  }

  return {
    async create(request) {
      const found = await deps.findCredentials(request.workspaceId, request.credentialsId)
      if (!found.ok) return { type: 'createPaymentIntent', ok: false, error: found.error }
      const { live, test } = found.data
      // Typebot's rule: preview sessions pay with the test keys when there are any.
      const mode = request.isPreview && test?.secretKey && test.publicKey ? 'test' : 'live'
      const keys = mode === 'test' && test?.secretKey && test.publicKey ? { secretKey: test.secretKey, publicKey: test.publicKey } : live
      try {
        const stripe = await clientFor(keys.secretKey)
        const intent = await stripe.paymentIntents.create({
          amount: request.amount,
          currency: request.currency.toLowerCase(),
          automatic_payment_methods: { enabled: true },
          ...(request.description ? { description: request.description } : {}),
          ...(request.receiptEmail ? { receipt_email: request.receiptEmail } : {}),
        })
        if (!intent.client_secret) return { type: 'createPaymentIntent', ok: false, error: 'Stripe returned no client secret' }
        return {
          type: 'createPaymentIntent',
          ok: true,
          paymentIntentId: intent.id,
          clientSecret: intent.client_secret,
          publicKey: keys.publicKey,
          credentialsId: found.id,
          mode,
        }
      } catch (error) {
        return { type: 'createPaymentIntent', ok: false, error: messageOf(error) }
      }
    },
    async retrieve(request) {
      const found = await deps.findCredentials(request.workspaceId, request.credentialsId)
      if (!found.ok) return { type: 'retrievePaymentIntent', ok: false, error: found.error }
      const secretKey = request.mode === 'test' ? found.data.test?.secretKey : found.data.live.secretKey
      if (!secretKey) return { type: 'retrievePaymentIntent', ok: false, error: 'The Stripe credentials have no test secret key any more' }
      try {
        const intent = await (await clientFor(secretKey)).paymentIntents.retrieve(request.paymentIntentId)
        return { type: 'retrievePaymentIntent', ok: true, status: intent.status }
      } catch (error) {
        return { type: 'retrievePaymentIntent', ok: false, error: messageOf(error) }
      }
    },
  }
}

type StripeClient = Awaited<ReturnType<typeof createClient>>

async function createClient(secretKey: string, deps: { apiBase?: string; timeoutMs: number }) {
  const { default: Stripe } = await import('stripe')
  const base = deps.apiBase ? new URL(deps.apiBase) : undefined
  return new Stripe(secretKey, {
    timeout: deps.timeoutMs,
    maxNetworkRetries: 1,
    ...(base
      ? {
          host: base.hostname,
          port: Number(base.port || (base.protocol === 'https:' ? 443 : 80)),
          protocol: base.protocol === 'https:' ? 'https' : 'http',
        }
      : {}),
  })
}

/** Stripe's messages name no secret (keys are masked in them). */
function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
