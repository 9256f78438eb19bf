import * as chrono from 'chrono-node'
import type { DateInputBlock } from '../../../schemas/blocks/inputs.js'
import type { InputHandler } from '../../block-handler.js'
import { substituteDeep } from '../../variables.js'
import { MAX_PARSED_REPLY_CHARS, retryMessageOf, textOf, toChatInputBase } from './input-helpers.js'
import { formatWallClock, limitWallClockTime, toWallClock, wallClockTime } from './wall-clock.js'

const defaultFormat = 'dd/MM/yyyy'
const defaultFormatWithTime = 'dd/MM/yyyy HH:mm'
const defaultSeparator = 'to'
const isoMinutePattern = /\d{4}-[01]\d-[0-3]\dT[0-2]\d:[0-5]\d/

/**
 * §6.2.6: natural-language dates (day first when the format starts with `dd`), optional range
 * and limits; the answer is re-formatted with the block's format.
 */
export const dateInputHandler: InputHandler<DateInputBlock> = {
  family: 'input',
  shortType: 'date',
  *toChatInput(block, ctx) {
    if (!block.options) return yield* toChatInputBase(block, ctx)
    const { min, max, ...options } = yield* substituteDeep(block.options, ctx.variables)
    const hasTime = block.options.hasTime === true
    const limits = { min: toClientLimit(min, hasTime), max: toClientLimit(max, hasTime) }
    return yield* toChatInputBase(block, ctx, {
      isPrefillable: true,
      options: {
        ...options,
        ...(limits.min !== undefined ? { min: limits.min } : {}),
        ...(limits.max !== undefined ? { max: limits.max } : {}),
      },
    })
  },
  *parseReply(block, message, ctx) {
    const text = textOf(message)
    if (text === undefined || text.length > MAX_PARSED_REPLY_CHARS) return { status: 'fail' }
    const options = block.options && (yield* substituteDeep(block.options, ctx.variables))
    const pattern = options?.format || (options?.hasTime ? defaultFormatWithTime : defaultFormat)
    const parser = pattern.startsWith('dd') ? chrono.en.GB : chrono.en.casual
    // Relative dates ("tomorrow") count from the engine clock, in UTC, whatever the server zone.
    const [parsed] = parser.parse(text, { instant: new Date(ctx.env.now()), timezone: 'UTC' })
    if (!parsed) return { status: 'fail' }
    const start = toWallClock(parsed.start)
    const end = parsed.end && toWallClock(parsed.end)
    if (options?.isRange && !end) return { status: 'fail' }
    const times = [wallClockTime(start), ...(end ? [wallClockTime(end)] : [])]
    const max = options?.max ? limitWallClockTime(options.max) : undefined
    const min = options?.min ? limitWallClockTime(options.min) : undefined
    if (max !== undefined && times.some((time) => time > max)) return { status: 'fail' }
    if (min !== undefined && times.some((time) => time < min)) return { status: 'fail' }
    const fallback = options?.hasTime ? defaultFormatWithTime : defaultFormat
    const startText = formatWallClock(start, pattern, fallback)
    if (!options?.isRange || !end) return { status: 'success', content: startText }
    const separator = options.labels?.separator || defaultSeparator
    return { status: 'success', content: `${startText} ${separator} ${formatWallClock(end, pattern, fallback)}` }
  },
  retryMessage: (_block, ctx) => retryMessageOf(ctx),
}

/** Date pickers take `YYYY-MM-DD` or `YYYY-MM-DDTHH:mm`: longer ISO strings are cut to that. */
function toClientLimit(limit: string | undefined, hasTime: boolean): string | undefined {
  if (!limit) return undefined
  const isoMinute = isoMinutePattern.exec(limit)
  if (!isoMinute) return limit
  return hasTime ? isoMinute[0] : isoMinute[0].slice(0, 10)
}
