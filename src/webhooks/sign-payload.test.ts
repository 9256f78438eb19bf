import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { generateSigningSecret, signPayload } from './sign-payload.js'

describe('signPayload', () => {
  it("is Stripe's scheme: the HMAC-SHA256 of the timestamp, a dot and the raw body", () => {
    const body = '{"id":"evt","type":"session.started"}'
    const header = signPayload('whsec_test', body, 1_700_000_000)
    const expected = createHmac('sha256', 'whsec_test').update(`1700000000.${body}`).digest('hex')
    expect(header).toBe(`t=1700000000,v1=${expected}`)
    expect(signPayload('whsec_test', `${body} `, 1_700_000_000)).not.toBe(header)
    expect(signPayload('whsec_test', body, 1_700_000_001)).not.toBe(header)
  })

  it('makes a new random secret each time', () => {
    const secret = generateSigningSecret()
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/)
    expect(generateSigningSecret()).not.toBe(secret)
  })
})
