import { recordOf } from '../../../../json-record.js'
import type { BlockContext } from '../../../block-handler.js'
import { viewTypebot } from '../../../typebot-view.js'
import type { Block } from '../../../types.js'

/**
 * §7.5.2 streaming: the answer can be streamed into the bubble that follows the block (the next
 * block of its group, else the first block the block's edge leads to) when that bubble is a text
 * whose first leaf is exactly `{{<stream variable>}}`.
 */
export function isFollowedByStreamedBubble(block: Block, streamVariableId: string | undefined, ctx: BlockContext): boolean {
  const variable = ctx.variables.find((candidate) => candidate.id === streamVariableId)
  if (!variable) return false
  const next = findNextBlock(block, ctx)
  if (next?.type !== 'text' || !('content' in next)) return false
  const richText = recordOf(next.content).richText
  const firstParagraph = Array.isArray(richText) ? recordOf(richText[0]) : {}
  const firstLeaf = Array.isArray(firstParagraph.children) ? recordOf(firstParagraph.children[0]) : {}
  return firstLeaf.text === `{{${variable.name}}}`
}

function findNextBlock(block: Block, ctx: BlockContext): Block | undefined {
  const view = viewTypebot(ctx.typebot, ctx.state.typebotsQueue[0])
  const location = view.findBlock(block.id)
  if (!location) return undefined
  const inGroup = view.findGroup(location.groupId)?.blocks[location.index + 1]
  if (inGroup) return inGroup
  const edge = block.outgoingEdgeId ? view.findEdge(block.outgoingEdgeId) : undefined
  const target = edge && view.findGroup(edge.to.groupId)
  if (!target) return undefined
  return edge.to.blockId ? target.blocks.find((candidate) => candidate.id === edge.to.blockId) : target.blocks[0]
}
