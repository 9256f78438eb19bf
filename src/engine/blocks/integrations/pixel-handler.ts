import type { PixelBlock } from '../../../schemas/blocks/integrations.js'
import type { ExecutableHandler } from '../../block-handler.js'
import { substituteDeep } from '../../variables.js'

/**
 * §7.6: live sessions with a pixel id and an event send the substituted event to the client's
 * Meta pixel. The id is kept as written: guessing types would turn it into a number.
 */
export const pixelHandler: ExecutableHandler<PixelBlock> = {
  family: 'integration',
  *execute(block, ctx) {
    const options = block.options
    if (ctx.state.isPreview || !options?.pixelId || !options.eventType) return {}
    const substituted = yield* substituteDeep(options, ctx.variables, { guessTypes: true, removeEmptyStrings: true })
    return { clientSideActions: [{ type: 'pixel', pixel: { ...substituted, pixelId: options.pixelId } }] }
  },
}
