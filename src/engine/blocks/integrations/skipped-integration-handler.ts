import type { SkippedIntegrationBlock } from '../../../schemas/blocks/integrations.js'
import type { ExecutableHandler } from '../../block-handler.js'

/** Google Sheets needs a Google account botflow does not manage. */
export const skippedIntegrationHandler: ExecutableHandler<SkippedIntegrationBlock> = {
  family: 'integration',
  *execute(block) {
    return { logs: [{ status: 'info', description: `${block.type} block is not supported by botflow and was skipped` }] }
  },
}
