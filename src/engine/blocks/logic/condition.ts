import type { ConditionBlock } from '../../../schemas/blocks/logic.js'
import type { BlockContext, ExecutableHandler, ExecutionResult } from '../../block-handler.js'
import { evaluateCondition } from '../../conditions.js'
import type { ChatLog } from '../../types.js'

/**
 * §4.11.1: the first item whose condition holds wins. Its edge is followed; a matching item
 * without an edge ends the flow here. No match: the else path (the block's own edge).
 */
export const conditionHandler: ExecutableHandler<ConditionBlock> = {
  family: 'logic',
  *execute(block, ctx) {
    return routeCondition(block, ctx)
  },
  replay(block, ctx, nextVisitedEdgeId) {
    const result = routeCondition(block, ctx)
    return { ...result, consumesVisitedEdge: typeof result.outgoingEdgeId === 'string' && result.outgoingEdgeId === nextVisitedEdgeId }
  },
}

function routeCondition(block: ConditionBlock, ctx: BlockContext): ExecutionResult {
  const logs: ChatLog[] = []
  const report = (log: ChatLog) => logs.push(log)
  const matched = block.items.find((item) => evaluateCondition(item.content, ctx.variables, ctx.env, report))
  const withLogs = logs.length > 0 ? { logs } : {}
  if (matched) return { outgoingEdgeId: matched.outgoingEdgeId ?? null, isOffDefaultPath: true, ...withLogs }
  return withLogs
}
