import * as chrono from 'chrono-node'
import type { TimeInputBlock } from '../../../schemas/blocks/inputs.js'
import type { InputHandler } from '../../block-handler.js'
import { MAX_PARSED_REPLY_CHARS, retryMessageOf, textOf, toChatInputBase } from './input-helpers.js'
import { formatWallClock, toWallClock } from './wall-clock.js'

const defaultFormat = 'HH:mm'

/** §6.2.7: a natural-language time (English), re-formatted with the block's format. */
export const timeInputHandler: InputHandler<TimeInputBlock> = {
  family: 'input',
  shortType: 'time',
  toChatInput: (block, ctx) => toChatInputBase(block, ctx, { isPrefillable: true }),
  *parseReply(block, message, ctx) {
    const text = textOf(message)
    if (text === undefined || text.length > MAX_PARSED_REPLY_CHARS) return { status: 'fail' }
    const [parsed] = chrono.en.casual.parse(text, { instant: new Date(ctx.env.now()), timezone: 'UTC' })
    if (!parsed) return { status: 'fail' }
    return { status: 'success', content: formatWallClock(toWallClock(parsed.start), block.options?.format || defaultFormat, defaultFormat) }
  },
  retryMessage: (_block, ctx) => retryMessageOf(ctx),
}
