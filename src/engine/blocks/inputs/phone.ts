import { findPhoneNumbersInText, isSupportedCountry } from 'libphonenumber-js'
import type { PhoneNumberInputBlock } from '../../../schemas/blocks/inputs.js'
import type { InputHandler } from '../../block-handler.js'
import { MAX_PARSED_REPLY_CHARS, retryMessageOf, textOf, toChatInputBase } from './input-helpers.js'

/**
 * §6.2.5: the first phone number found in the text, in E.164. Without a supported default
 * country the number must be written internationally (`+...`).
 */
export const phoneNumberInputHandler: InputHandler<PhoneNumberInputBlock> = {
  family: 'input',
  shortType: 'phone',
  toChatInput: (block, ctx) => toChatInputBase(block, ctx, { isPrefillable: true }),
  *parseReply(block, message) {
    const text = textOf(message)
    if (text === undefined || text.length > MAX_PARSED_REPLY_CHARS) return { status: 'fail' }
    const countryCode = block.options?.defaultCountryCode?.toUpperCase()
    const defaultCountry = countryCode && isSupportedCountry(countryCode) ? countryCode : undefined
    const [found] = findPhoneNumbersInText(text, defaultCountry ? { defaultCountry } : undefined)
    return found ? { status: 'success', content: found.number.number } : { status: 'fail' }
  },
  retryMessage: (block, ctx) => retryMessageOf(ctx, block.options?.retryMessageContent),
}
