import type { ConditionBlock } from '../../../schemas/blocks/logic.js'
import type { BlockContext, ExecutableHandler, ExecutionResult } from '../../block-handler.js'
import { evaluateCondition } from '../../conditions.js'
import type { ChatLog, Effectful } from '../../types.js'

/**
 * §4.11.1: the first item whose condition holds wins. Its edge is followed; a matching item
 * without an edge ends the flow here. No match: the else path (the block's own edge).
 */
export const conditionHandler: ExecutableHandler<ConditionBlock> = {
  family: 'logic',
  *execute(block, ctx) {
    return yield* routeCondition(block, ctx)
  },
  *replay(block, ctx, nextVisitedEdgeId) {
    const result = yield* routeCondition(block, ctx)
    return { ...result, consumesVisitedEdge: typeof result.outgoingEdgeId === 'string' && result.outgoingEdgeId === nextVisitedEdgeId }
  },
}

function* routeCondition(block: ConditionBlock, ctx: BlockContext): Effectful<ExecutionResult> {
  const logs: ChatLog[] = []
  const report = (log: ChatLog) => logs.push(log)
  let matched: ConditionBlock['items'][number] | undefined
  for (const item of block.items) {
    if (!(yield* evaluateCondition(item.content, ctx.variables, report))) continue
    matched = item
    break
  }
  const withLogs = logs.length > 0 ? { logs } : {}
  if (matched) return { outgoingEdgeId: matched.outgoingEdgeId ?? null, isOffDefaultPath: true, ...withLogs }
  return withLogs
}
