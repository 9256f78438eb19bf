import type { AbTestBlock } from '../../../schemas/blocks/logic.js'
import type { ExecutableHandler } from '../../block-handler.js'

/** §4.11.4: path A when a draw in [0,100) falls under `aPercent` (default 50) and A is connected. */
export const abTestHandler: ExecutableHandler<AbTestBlock> = {
  family: 'logic',
  *execute(block, ctx) {
    const [itemA, itemB] = pathsOf(block)
    const draw = ctx.env.random() * 100
    if (draw < (block.options?.aPercent ?? 50) && itemA?.outgoingEdgeId) {
      return { outgoingEdgeId: itemA.outgoingEdgeId, isOffDefaultPath: true }
    }
    if (itemB?.outgoingEdgeId) return { outgoingEdgeId: itemB.outgoingEdgeId, isOffDefaultPath: true }
    return {}
  },
  // The draw is not repeatable: the recorded visited edge tells which path was taken.
  *replay(block, _ctx, nextVisitedEdgeId) {
    const taken = block.items.find((item) => item.outgoingEdgeId !== undefined && item.outgoingEdgeId === nextVisitedEdgeId)
    return taken ? { outgoingEdgeId: taken.outgoingEdgeId, consumesVisitedEdge: true } : {}
  },
}

function pathsOf(block: AbTestBlock) {
  const itemA = block.items.find((item) => item.path === 'a') ?? block.items[0]
  const itemB = block.items.find((item) => item.path === 'b') ?? block.items[1]
  return [itemA, itemB] as const
}
