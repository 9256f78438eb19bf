import type { NumberInputBlock } from '../../../schemas/blocks/inputs.js'
import type { BlockContext, InputHandler } from '../../block-handler.js'
import type { Effectful } from '../../types.js'
import { substituteVariables } from '../../variables.js'
import { retryMessageOf, textOf, toChatInputBase } from './input-helpers.js'

/**
 * §6.2.3: a leading number (decimal comma accepted) within the non-zero bounds. Answers starting
 * with 0 are kept as typed ("007", "0,5"); others become the parsed number ("1,5" -> "1.5").
 */
export const numberInputHandler: InputHandler<NumberInputBlock> = {
  family: 'input',
  shortType: 'number',
  toChatInput: (block, ctx) => toChatInputBase(block, ctx, { isPrefillable: true }),
  *parseReply(block, message, ctx) {
    const text = textOf(message)
    if (text === undefined || text === '') return { status: 'fail' }
    const value = parseLeadingNumber(text)
    if (Number.isNaN(value)) return { status: 'fail' }
    const min = yield* parseBound(block.options?.min, ctx)
    const max = yield* parseBound(block.options?.max, ctx)
    if ((min !== undefined && value < min) || (max !== undefined && value > max)) return { status: 'fail' }
    return { status: 'success', content: text.startsWith('0') ? text : String(value) }
  },
  retryMessage: (_block, ctx) => retryMessageOf(ctx),
}

function parseLeadingNumber(text: string): number {
  return Number.parseFloat(text.replace(',', '.'))
}

// Typebot tests bounds for truthiness, so a bound of 0 is never enforced; kept for compatibility.
function* parseBound(bound: number | string | undefined, ctx: BlockContext): Effectful<number | undefined> {
  if (bound === undefined) return undefined
  const value = typeof bound === 'number' ? bound : parseLeadingNumber(yield* substituteVariables(bound, ctx.variables))
  return Number.isNaN(value) || value === 0 ? undefined : value
}
