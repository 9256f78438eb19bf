import { listenLocally, readBody } from './local-server.js'

export type FakePaymentIntent = {
  id: string
  object: 'payment_intent'
  amount: number
  currency: string
  description: string | null
  receipt_email: string | null
  status: string
  client_secret: string
}

export type FakeStripe = {
  /** `STRIPE_API_BASE` for botflow. */
  url: string
  intents: Map<string, FakePaymentIntent>
  /** Every API call: method, path and the secret key it used. */
  calls: { method: string; path: string; secretKey: string }[]
  /** What a browser would do through Stripe.js: pay the PaymentIntent of this client secret. */
  pay(clientSecret: string): void
  /** Makes the API answer this status with an error body until set back to undefined. */
  failWith(status: number | undefined): void
  close(): Promise<void>
}

/**
 * Stripe's REST API as far as payment inputs use it, on 127.0.0.1: form-encoded
 * `POST /v1/payment_intents`, `GET /v1/payment_intents/{id}`, Bearer secret keys, Stripe's error
 * body. `POST /test/pay` (CORS open) stands for a browser confirming the payment with Stripe.js.
 */
export async function startFakeStripe(): Promise<FakeStripe> {
  const intents = new Map<string, FakePaymentIntent>()
  const calls: FakeStripe['calls'] = []
  let failure: number | undefined
  const pay = (clientSecret: string) => {
    for (const intent of intents.values()) if (intent.client_secret === clientSecret) intent.status = 'succeeded'
  }
  const server = await listenLocally(async (request, response) => {
    const body = await readBody(request)
    const url = new URL(request.url ?? '/', 'http://stripe')
    const send = (status: number, payload: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json', 'access-control-allow-origin': '*' })
      response.end(JSON.stringify(payload))
    }
    if (url.pathname === '/test/pay') {
      if (request.method === 'OPTIONS') return send(204, {})
      pay(String(JSON.parse(body || '{}').clientSecret ?? ''))
      return send(200, { ok: true })
    }
    const secretKey = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? ''
    calls.push({ method: request.method ?? '', path: url.pathname, secretKey })
    if (failure) return send(failure, { error: { type: 'api_error', message: `Fake Stripe answered ${failure}` } })
    if (!secretKey.startsWith('sk_'))
      return send(401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided: sk_****' } })
    if (request.method === 'POST' && url.pathname === '/v1/payment_intents') {
      const form = new URLSearchParams(body)
      const id = `pi_${intents.size + 1}${Math.random().toString(36).slice(2, 8)}`
      const intent: FakePaymentIntent = {
        id,
        object: 'payment_intent',
        amount: Number(form.get('amount')),
        currency: form.get('currency') ?? '',
        description: form.get('description'),
        receipt_email: form.get('receipt_email'),
        status: 'requires_payment_method',
        client_secret: `${id}_secret_${Math.random().toString(36).slice(2, 10)}`,
      }
      intents.set(id, intent)
      return send(200, intent)
    }
    const match = /^\/v1\/payment_intents\/([^/]+)$/.exec(url.pathname)
    const intent = match?.[1] ? intents.get(match[1]) : undefined
    if (request.method === 'GET' && intent) return send(200, intent)
    return send(404, { error: { type: 'invalid_request_error', message: 'No such payment_intent' } })
  })
  return {
    url: server.origin,
    intents,
    calls,
    pay,
    failWith(status) {
      failure = status
    },
    close: server.close,
  }
}
