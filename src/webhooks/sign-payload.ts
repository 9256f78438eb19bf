import { createHmac, randomBytes } from 'node:crypto'

/** A new signing secret: shown to the subscriber once, stored sealed. */
export function generateSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`
}

/**
 * `X-Botflow-Signature`, as Stripe signs its webhooks: `t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "<t>.<raw body>">`. Signing the time with the body lets a receiver refuse old deliveries, so a
 * captured one cannot be replayed.
 */
export function signPayload(secret: string, body: string, timestampSeconds: number): string {
  const signature = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex')
  return `t=${timestampSeconds},v1=${signature}`
}
