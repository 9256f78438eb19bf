import type { EmailInputBlock } from '../../../schemas/blocks/inputs.js'
import type { InputHandler } from '../../block-handler.js'
import { retryMessageOf, textOf, toChatInputBase } from './input-helpers.js'

// An address is at most 254 characters; the pattern is not tried on longer replies.
const MAX_EMAIL_CHARS = 320

export const defaultEmailRetryMessage = "This email doesn't seem to be valid. Can you type it again?"

// A dot-separated or quoted local part, then a bracketed IPv4 literal or labels ending in a TLD of 2+ letters.
const emailPattern =
  /^(?:[^<>()[\]\\.,;:\s@"]+(?:\.[^<>()[\]\\.,;:\s@"]+)*|".+")@(?:\[\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\]|(?:[a-zA-Z\-0-9]+\.)+[a-zA-Z]{2,})$/

/** §6.2.2: the whole text must be an address; the answer is lower-cased. */
export const emailInputHandler: InputHandler<EmailInputBlock> = {
  family: 'input',
  shortType: 'email',
  toChatInput: (block, ctx) => toChatInputBase(block, ctx, { isPrefillable: true }),
  *parseReply(_block, message) {
    const text = textOf(message)
    if (text === undefined || text.length > MAX_EMAIL_CHARS || !emailPattern.test(text)) return { status: 'fail' }
    return { status: 'success', content: text.toLowerCase() }
  },
  retryMessage: (block, ctx) => retryMessageOf(ctx, block.options?.retryMessageContent, defaultEmailRetryMessage),
}
