import type { WaitBlock } from '../../../schemas/blocks/logic.js'
import type { ExecutableHandler } from '../../block-handler.js'
import { substituteVariables } from '../../variables.js'

/**
 * §4.11.7: a `wait` action. With `shouldPause` it blocks: the walk stops here and the next
 * continueChat (whatever its message) goes on with the following block.
 */
export const waitHandler: ExecutableHandler<WaitBlock> = {
  family: 'logic',
  *execute(block, ctx) {
    const raw = block.options?.secondsToWaitFor
    if (raw === undefined) return {}
    const text = yield* substituteVariables(String(raw), ctx.variables)
    const seconds = Number.parseFloat(text.replace(',', '.'))
    if (Number.isNaN(seconds)) return {}
    const shouldPause = block.options?.shouldPause
    if (seconds === 0 && !shouldPause) return {}
    return {
      clientSideActions: [
        {
          type: 'wait',
          wait: { secondsToWaitFor: seconds },
          ...(shouldPause !== undefined ? { expectsDedicatedReply: shouldPause } : {}),
        },
      ],
    }
  },
}
