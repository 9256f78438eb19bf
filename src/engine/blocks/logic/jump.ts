import type { JumpBlock } from '../../../schemas/blocks/logic.js'
import type { BlockContext, ExecutableHandler, ExecutionResult } from '../../block-handler.js'
import { addVirtualEdge } from '../../state.js'
import { viewTypebot } from '../../typebot-view.js'
import { findVariableByName } from '../../variables.js'

/**
 * §4.11.2: follows a virtual edge to the target group (by id, or by title through `{{X}}`) and
 * marks the block after the jump so that a Return comes back to it.
 */
export const jumpHandler: ExecutableHandler<JumpBlock> = {
  family: 'logic',
  *execute(block, ctx) {
    return jumpFrom(block, ctx)
  },
  *replay(block, ctx, nextVisitedEdgeId) {
    const result = jumpFrom(block, ctx)
    return { ...result, consumesVisitedEdge: typeof result.outgoingEdgeId === 'string' && result.outgoingEdgeId === nextVisitedEdgeId }
  },
}

function jumpFrom(block: JumpBlock, ctx: BlockContext): ExecutionResult {
  const groupIdOrTitle = block.options?.groupId
  if (!groupIdOrTitle) return {}
  const view = viewTypebot(ctx.typebot, ctx.state.typebotsQueue[0])
  const titleReference = /^\{\{(.+)\}\}$/.exec(groupIdOrTitle)
  const titleValue = titleReference ? findVariableByName(ctx.variables, titleReference[1]!)?.value : undefined
  const group = titleReference
    ? typeof titleValue === 'string'
      ? view.findGroupByTitle(titleValue)
      : undefined
    : view.findGroup(groupIdOrTitle)
  if (!group) {
    return {
      outgoingEdgeId: null,
      logs: [
        {
          status: 'error',
          context: 'Error while executing Jump block',
          description: 'Group to jump to is not found',
          details: JSON.stringify({ groupIdOrTitle, jumpBlockId: block.id }),
        },
      ],
    }
  }
  const blockId = block.options?.blockId
  if (blockId && !group.blocks.some((candidate) => candidate.id === blockId)) {
    return {
      outgoingEdgeId: null,
      logs: [
        {
          status: 'error',
          context: 'Error while executing Jump block',
          description: 'Block to jump to is not found',
          details: JSON.stringify({ groupIdOrTitle, blockId, jumpBlockId: block.id }),
        },
      ],
    }
  }
  const { state, edgeId } = addVirtualEdge(ctx.state, { groupId: group.id, ...(blockId ? { blockId } : {}) })
  const successorId = successorOf(block, ctx)
  const marked = successorId ? { ...state, returnMark: { status: 'pending' as const, blockId: successorId } } : state
  return { outgoingEdgeId: edgeId, isOffDefaultPath: true, state: marked }
}

/** The block the flow would have run after the jump: next in the group, or behind its edge. */
function successorOf(block: JumpBlock, ctx: BlockContext): string | undefined {
  const view = viewTypebot(ctx.typebot, ctx.state.typebotsQueue[0])
  const location = view.findBlock(block.id)
  const group = location && view.findGroup(location.groupId)
  const next = group?.blocks[(location?.index ?? 0) + 1]
  if (next) return next.id
  const edge = block.outgoingEdgeId ? view.findEdge(block.outgoingEdgeId) : undefined
  if (!edge) return undefined
  if (edge.to.blockId) return edge.to.blockId
  return view.findGroup(edge.to.groupId)?.blocks[0]?.id
}
