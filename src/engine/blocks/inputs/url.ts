import type { UrlInputBlock } from '../../../schemas/blocks/inputs.js'
import type { InputHandler } from '../../block-handler.js'
import { retryMessageOf, textOf, toChatInputBase } from './input-helpers.js'
import { isUrl } from './is-url.js'

/** §6.2.4: http(s) or no protocol, a top-level domain; the answer is the text as typed. */
export const urlInputHandler: InputHandler<UrlInputBlock> = {
  family: 'input',
  shortType: 'url',
  toChatInput: (block, ctx) => toChatInputBase(block, ctx, { isPrefillable: true }),
  *parseReply(_block, message) {
    const text = textOf(message)
    if (text === undefined || !isUrl(text)) return { status: 'fail' }
    return { status: 'success', content: text }
  },
  // Without a custom text the generic invalid message is used, not the editor's default (§4.8).
  retryMessage: (block, ctx) => retryMessageOf(ctx, block.options?.retryMessageContent),
}
