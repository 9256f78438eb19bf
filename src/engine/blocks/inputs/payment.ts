import type { PaymentInputBlock } from '../../../schemas/blocks/inputs.js'
import type { InputHandler } from '../../block-handler.js'
import type { ChatLog, EffectResult } from '../../types.js'
import { substituteVariables } from '../../variables.js'
import { retryMessageOf, textOf, toChatInputBase } from './input-helpers.js'

export const defaultPaymentRetryMessage = 'Payment failed. Please, try again.'
const defaultCurrency = 'USD'

/**
 * §6.2.11. Each time the input is sent, a Stripe PaymentIntent is created for the block's amount
 * (variables substituted) and the client gets Typebot's `runtimeOptions` to show Stripe's payment
 * element. The client only reports "Success" (or "fail"): botflow accepts the reply once Stripe
 * says the PaymentIntent it made for this session succeeded, where Typebot takes any reply but
 * "fail" as paid.
 */
export const paymentInputHandler: InputHandler<PaymentInputBlock> = {
  family: 'input',
  shortType: 'payment',
  toChatInput: (block, ctx) => toChatInputBase(block, ctx, { isPrefillable: true }),
  *prepare(block, ctx) {
    const options = block.options ?? {}
    const substitute = (text: string | undefined) => substituteVariables(text, ctx.variables)
    const currency = (options.currency || defaultCurrency).toUpperCase()
    const amount = toMinorUnits(yield* substitute(options.amount), currency)
    if (amount === undefined) return { logs: [notCreated('Could not parse amount, make sure your block is configured correctly')] }
    const description = yield* substitute(options.additionalInformation?.description)
    const receiptEmail = yield* substitute(options.additionalInformation?.email)
    const result: EffectResult = yield {
      type: 'createPaymentIntent',
      workspaceId: ctx.state.workspaceId,
      ...(options.credentialsId ? { credentialsId: options.credentialsId } : {}),
      isPreview: ctx.state.isPreview,
      amount,
      currency,
      ...(description ? { description } : {}),
      ...(receiptEmail ? { receiptEmail } : {}),
    }
    if (result.type !== 'createPaymentIntent' || !result.ok) {
      return { logs: [notCreated(result.type === 'createPaymentIntent' && !result.ok ? result.error : `Unexpected ${result.type} result`)] }
    }
    return {
      state: {
        ...ctx.state,
        pendingPayment: {
          blockId: block.id,
          paymentIntentId: result.paymentIntentId,
          credentialsId: result.credentialsId,
          mode: result.mode,
        },
      },
      runtimeOptions: {
        paymentIntentSecret: result.clientSecret,
        publicKey: result.publicKey,
        amountLabel: formatAmount(amount, currency),
      },
    }
  },
  *parseReply(_block, message) {
    const text = textOf(message)
    if (text === undefined || text === 'fail') return { status: 'fail' }
    return { status: 'success', content: text }
  },
  *verifyReply(block, parsed, ctx) {
    const pending = ctx.state.pendingPayment
    if (!pending || pending.blockId !== block.id) return { status: 'fail' }
    const result: EffectResult = yield {
      type: 'retrievePaymentIntent',
      workspaceId: ctx.state.workspaceId,
      credentialsId: pending.credentialsId,
      mode: pending.mode,
      paymentIntentId: pending.paymentIntentId,
    }
    return result.type === 'retrievePaymentIntent' && result.ok && result.status === 'succeeded' ? parsed : { status: 'fail' }
  },
  retryMessage: (block, ctx) => retryMessageOf(ctx, block.options?.retryMessageContent, defaultPaymentRetryMessage),
}

function notCreated(details: string): ChatLog {
  return { status: 'error', description: 'Could not create payment intent', details }
}

// https://docs.stripe.com/currencies#zero-decimal
const zeroDecimalCurrencies = new Set([
  'BIF',
  'CLP',
  'DJF',
  'GNF',
  'JPY',
  'KMF',
  'KRW',
  'MGA',
  'PYG',
  'RWF',
  'UGX',
  'VND',
  'VUV',
  'XAF',
  'XOF',
  'XPF',
])

/** "9" USD -> 900 cents; "500" JPY -> 500; undefined when the text is not a positive amount. */
export function toMinorUnits(amount: string, currency: string): number | undefined {
  const value = Number(amount.trim())
  if (amount.trim() === '' || !Number.isFinite(value) || value <= 0) return undefined
  return Math.round(value * (zeroDecimalCurrencies.has(currency) ? 1 : 100))
}

/** Typebot's label: the amount in the currency's format (French format for euros). */
export function formatAmount(minorUnits: number, currency: string): string {
  const value = minorUnits / (zeroDecimalCurrencies.has(currency) ? 1 : 100)
  try {
    return new Intl.NumberFormat(currency === 'EUR' ? 'fr-FR' : 'en-US', { style: 'currency', currency }).format(value)
  } catch {
    return `${value} ${currency}`
  }
}
