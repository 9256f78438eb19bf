import type { FileInputBlock } from '../../../schemas/blocks/inputs.js'
import type { InputHandler } from '../../block-handler.js'
import { allowedExtensionsOf } from './file-types.js'
import { retryMessageOf, toChatInputBase } from './input-helpers.js'
import { isUrl } from './is-url.js'

// Uploads served by a local server are accepted without a top-level domain.
const hostsWithoutTld = ['localhost']

/**
 * §6.2.12: the reply lists uploaded file URLs separated by ", ". At least one must be a URL and,
 * when types are restricted, every file must have an allowed extension. A non-required input
 * answered with no message is skipped.
 */
export const fileInputHandler: InputHandler<FileInputBlock> = {
  family: 'input',
  shortType: 'file',
  toChatInput: (block, ctx) => toChatInputBase(block, ctx, { isPrefillable: true }),
  *parseReply(block, message) {
    if (!message || message.type === 'command') {
      return block.options?.isRequired === false ? { status: 'skip' } : { status: 'fail' }
    }
    const value = message.type === 'audio' ? message.url : message.text
    const urls = value.split(', ')
    if (!urls.some((url) => isUrl(url, { hostsWithoutTld }))) return { status: 'fail' }
    const allowedTypes = block.options?.allowedFileTypes
    if (allowedTypes?.isEnabled && allowedTypes.types && allowedTypes.types.length > 0) {
      const allowed = allowedExtensionsOf(allowedTypes.types)
      if (!urls.every((url) => allowed.has(extensionOf(url)))) return { status: 'fail' }
    }
    if (!block.options?.isMultipleAllowed && urls.length > 1) return { status: 'success', content: urls[0] ?? value }
    return { status: 'success', content: value }
  },
  retryMessage: (_block, ctx) => retryMessageOf(ctx),
}

/** The text after the last dot of the path, lower-cased (query and fragment ignored). */
function extensionOf(url: string): string {
  const path = url.split(/[?#]/)[0] ?? ''
  const lastDot = path.lastIndexOf('.')
  return lastDot === -1 ? '' : path.slice(lastDot + 1).toLowerCase()
}
