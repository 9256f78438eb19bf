import type { ReturnBlock } from '../../../schemas/blocks/logic.js'
import type { BlockContext, ExecutableHandler, ExecutionResult } from '../../block-handler.js'
import { followReturnMark } from '../../events.js'
import { viewTypebot } from '../../typebot-view.js'

/** §4.11.3: goes back to the block of the return mark; without a mark the group simply goes on. */
export const returnHandler: ExecutableHandler<ReturnBlock> = {
  family: 'logic',
  *execute(_block, ctx) {
    return returnFrom(ctx)
  },
  *replay(_block, ctx, nextVisitedEdgeId) {
    const result = returnFrom(ctx)
    return { ...result, consumesVisitedEdge: typeof result.outgoingEdgeId === 'string' && result.outgoingEdgeId === nextVisitedEdgeId }
  },
}

function returnFrom(ctx: BlockContext): ExecutionResult {
  const followed = followReturnMark(ctx.state, viewTypebot(ctx.typebot, ctx.state.typebotsQueue[0]))
  if (!followed) return {}
  if (!followed.edgeId) return { state: followed.state, ...(followed.log ? { logs: [followed.log] } : {}) }
  return { outgoingEdgeId: followed.edgeId, isOffDefaultPath: true, state: followed.state }
}
