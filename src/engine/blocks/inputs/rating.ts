import type { RatingInputBlock } from '../../../schemas/blocks/inputs.js'
import type { InputHandler } from '../../block-handler.js'
import { retryMessageOf, textOf, toChatInputBase } from './input-helpers.js'

const defaultLength = 10

/** §6.2.10: any value up to `length` passes (no lower bound, "" counts as 0); the answer is the raw text. */
export const ratingInputHandler: InputHandler<RatingInputBlock> = {
  family: 'input',
  shortType: 'rating',
  toChatInput: (block, ctx) => toChatInputBase(block, ctx, { isPrefillable: true }),
  *parseReply(block, message) {
    const text = textOf(message)
    if (text === undefined) return { status: 'fail' }
    const isWithinLength = Number(text) <= (block.options?.length || defaultLength)
    return isWithinLength ? { status: 'success', content: text } : { status: 'fail' }
  },
  retryMessage: (_block, ctx) => retryMessageOf(ctx),
}
