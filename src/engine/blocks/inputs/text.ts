import type { TextInputBlock } from '../../../schemas/blocks/inputs.js'
import type { InputHandler } from '../../block-handler.js'
import { retryMessageOf, toChatInputBase } from './input-helpers.js'

/** §6.2.1: any text (even empty) or a voice clip is an answer; attachments are saved by the walk (§4.7). */
export const textInputHandler: InputHandler<TextInputBlock> = {
  family: 'input',
  shortType: 'text',
  toChatInput: (block, ctx) => toChatInputBase(block, ctx, { isPrefillable: true }),
  *parseReply(_block, message) {
    if (message?.type === 'text') return { status: 'success', content: message.text }
    if (message?.type === 'audio') return { status: 'success', content: message.url }
    return { status: 'fail' }
  },
  retryMessage: (_block, ctx) => retryMessageOf(ctx),
}
