import type { RedirectBlock } from '../../../schemas/blocks/logic.js'
import type { ExecutableHandler } from '../../block-handler.js'
import { substituteVariables } from '../../variables.js'

/** §4.11.5: a non-blocking `redirect` action; bare host names get `https://`. */
export const redirectHandler: ExecutableHandler<RedirectBlock> = {
  family: 'logic',
  *execute(block, ctx) {
    if (!block.options?.url) return {}
    const substituted = yield* substituteVariables(block.options.url, ctx.variables)
    const hasScheme = ['http', 'mailto:', 'tel:', 'sms:', '{{'].some((prefix) => substituted.startsWith(prefix))
    const url = hasScheme ? substituted : `https://${substituted}`
    const isNewTab = block.options.isNewTab
    return { clientSideActions: [{ type: 'redirect', redirect: { url, ...(isNewTab !== undefined ? { isNewTab } : {}) } }] }
  },
}
