import type { StartBlock } from '../../../schemas/blocks/logic.js'
import type { ExecutableHandler } from '../../block-handler.js'

/**
 * The v3-v5 start block, also used as the synthetic entry block of events: it does nothing, the
 * walk goes on with the next block (or, being last in its group, follows its edge).
 */
export const startHandler: ExecutableHandler<StartBlock> = {
  family: 'logic',
  *execute() {
    return {}
  },
}
