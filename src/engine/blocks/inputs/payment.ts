import type { PaymentInputBlock } from '../../../schemas/blocks/inputs.js'
import type { InputHandler } from '../../block-handler.js'
import { retryMessageOf, textOf, toChatInputBase } from './input-helpers.js'

export const defaultPaymentRetryMessage = 'Payment failed. Please, try again.'

/**
 * §6.2.11. botflow has no Stripe integration: the input is sent without `runtimeOptions`, so a
 * client cannot take the payment. A client reports the outcome as text: "fail" or anything else.
 */
export const paymentInputHandler: InputHandler<PaymentInputBlock> = {
  family: 'input',
  shortType: 'payment',
  toChatInput: (block, ctx) => toChatInputBase(block, ctx, { isPrefillable: true }),
  parseReply(_block, message) {
    const text = textOf(message)
    if (text === undefined || text === 'fail') return { status: 'fail' }
    return { status: 'success', content: text }
  },
  retryMessage: (block, ctx) => retryMessageOf(ctx, block.options?.retryMessageContent, defaultPaymentRetryMessage),
}
