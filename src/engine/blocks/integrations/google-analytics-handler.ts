import type { GoogleAnalyticsBlock } from '../../../schemas/blocks/integrations.js'
import type { ExecutableHandler } from '../../block-handler.js'
import { substituteDeep } from '../../variables.js'

/** §7.6: live sessions send the substituted event to the client's analytics; preview sends nothing. */
export const googleAnalyticsHandler: ExecutableHandler<GoogleAnalyticsBlock> = {
  family: 'integration',
  *execute(block, ctx) {
    if (ctx.state.isPreview) return {}
    const googleAnalytics = yield* substituteDeep(block.options ?? {}, ctx.variables, { guessTypes: true, removeEmptyStrings: true })
    return { clientSideActions: [{ type: 'googleAnalytics', googleAnalytics }] }
  },
}
