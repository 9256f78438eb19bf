import { describe, expect, it } from 'vitest'
import type { PaymentInputBlock } from '../../../schemas/blocks/inputs.js'
import type { EffectResult } from '../../types.js'
import { driveEffects } from '../integrations/test-context.js'
import { formatAmount, paymentInputHandler, toMinorUnits } from './payment.js'
import { createTestContext } from './test-context.js'

const block: PaymentInputBlock = {
  id: 'pay',
  type: 'payment input',
  options: { amount: '{{Price}}', currency: 'eur', credentialsId: 'cred1', additionalInformation: { description: 'For {{Name}}' } },
}
const ctx = createTestContext({
  variables: [
    { id: 'v1', name: 'Price', value: '12.5' },
    { id: 'v2', name: 'Name', value: 'Ada' },
  ],
})
const created: EffectResult = {
  type: 'createPaymentIntent',
  ok: true,
  paymentIntentId: 'pi_1',
  clientSecret: 'pi_1_secret',
  publicKey: 'pk_live',
  credentialsId: 'cred1',
  mode: 'live',
}

describe('payment input', () => {
  it('creates a PaymentIntent for the substituted amount and remembers it in the session', () => {
    const prepare = paymentInputHandler.prepare
    if (!prepare) throw new Error('the payment input prepares a PaymentIntent')
    const { value, requests } = driveEffects(prepare(block, ctx), () => created)
    expect(requests).toEqual([
      {
        type: 'createPaymentIntent',
        workspaceId: 'workspace1',
        credentialsId: 'cred1',
        isPreview: true,
        amount: 1250,
        currency: 'EUR',
        description: 'For Ada',
      },
    ])
    expect(value.runtimeOptions).toEqual({
      paymentIntentSecret: 'pi_1_secret',
      publicKey: 'pk_live',
      amountLabel: formatAmount(1250, 'EUR'),
    })
    expect(value.state?.pendingPayment).toEqual({ blockId: 'pay', paymentIntentId: 'pi_1', credentialsId: 'cred1', mode: 'live' })
  })

  it('logs an amount that is not a number and asks Stripe nothing', () => {
    const prepare = paymentInputHandler.prepare
    if (!prepare) throw new Error('the payment input prepares a PaymentIntent')
    const { value, requests } = driveEffects(prepare({ ...block, options: { amount: 'ten' } }, ctx), () => created)
    expect(requests).toEqual([])
    expect(value.logs).toEqual([
      {
        status: 'error',
        description: 'Could not create payment intent',
        details: 'Could not parse amount, make sure your block is configured correctly',
      },
    ])
  })

  it.each([
    ['succeeded', { status: 'success', content: 'Success' }],
    ['requires_payment_method', { status: 'fail' }],
    ['processing', { status: 'fail' }],
  ])('accepts a reply when Stripe says %s: %j', (status, expected) => {
    const verify = paymentInputHandler.verifyReply
    if (!verify) throw new Error('the payment input verifies replies')
    const waiting = {
      ...ctx,
      state: { ...ctx.state, pendingPayment: { blockId: 'pay', paymentIntentId: 'pi_1', credentialsId: 'cred1', mode: 'live' as const } },
    }
    const { value, requests } = driveEffects(verify(block, { status: 'success', content: 'Success' }, waiting), () => ({
      type: 'retrievePaymentIntent',
      ok: true,
      status,
    }))
    expect(requests).toEqual([
      { type: 'retrievePaymentIntent', workspaceId: 'workspace1', credentialsId: 'cred1', mode: 'live', paymentIntentId: 'pi_1' },
    ])
    expect(value).toEqual(expected)
  })

  it('refuses a reply when no PaymentIntent was made for this block', () => {
    const verify = paymentInputHandler.verifyReply
    if (!verify) throw new Error('the payment input verifies replies')
    const { value, requests } = driveEffects(verify(block, { status: 'success', content: 'Success' }, ctx), () => created)
    expect(requests).toEqual([])
    expect(value).toEqual({ status: 'fail' })
  })

  it.each([
    ['9', 'USD', 900, '$9.00'],
    ['12.5', 'EUR', 1250, '12,50 €'],
    ['500', 'JPY', 500, '¥500'],
    ['0', 'USD', undefined, undefined],
    ['', 'USD', undefined, undefined],
  ])('%s %s is %s in minor units, shown as %s', (amount, currency, minor, label) => {
    expect(toMinorUnits(amount, currency)).toBe(minor)
    if (minor !== undefined) expect(formatAmount(minor, currency).replace(/\u00a0|\u202f/g, ' ')).toBe(label)
  })
})
