import type { PictureChoiceInputBlock, PictureChoiceItem } from '../../../schemas/blocks/inputs.js'
import type { BlockContext, InputHandler } from '../../block-handler.js'
import type { Effectful, Variable } from '../../types.js'
import { substituteDeep } from '../../variables.js'
import { parseMultipleChoice, parseSingleChoice } from './choice-matching.js'
import { filterDisplayed, retryMessageOf, toChatInputBase } from './input-helpers.js'

/** §6.2.9: picture buttons, static or built from list variables; matched like buttons on their titles. */
export const pictureChoiceInputHandler: InputHandler<PictureChoiceInputBlock> = {
  family: 'input',
  shortType: 'picture choice',
  *toChatInput(block, ctx) {
    return yield* toChatInputBase(block, ctx, { items: yield* displayedPictureItems(block, ctx) })
  },
  *parseReply(block, message, ctx) {
    if (message?.type !== 'text') return { status: 'fail' }
    const items = (yield* displayedPictureItems(block, ctx)).map((item) => ({
      id: item.id,
      content: item.title || item.pictureSrc || '',
      value: item.value,
      outgoingEdgeId: item.outgoingEdgeId,
    }))
    return block.options?.isMultipleChoice
      ? parseMultipleChoice(items, message.text)
      : parseSingleChoice(items, message.text, message.metadata?.replyId)
  },
  retryMessage: (_block, ctx) => retryMessageOf(ctx),
}

/** One item per picture source of the dynamic variables, else the static items still displayed. */
export function* displayedPictureItems(block: PictureChoiceInputBlock, ctx: BlockContext): Effectful<PictureChoiceItem[]> {
  const dynamicItems = block.options?.dynamicItems
  const sources = dynamicItems?.isEnabled ? listOf(dynamicItems.pictureSrcsVariableId, ctx.variables) : []
  if (sources.length > 0) {
    const titles = listOf(dynamicItems?.titlesVariableId, ctx.variables)
    const descriptions = listOf(dynamicItems?.descriptionsVariableId, ctx.variables)
    return sources
      .filter((source): source is string => source !== null)
      .map((pictureSrc, index) => ({
        id: String(index),
        pictureSrc,
        title: titles[index] ?? '',
        description: descriptions[index] ?? '',
      }))
  }
  const visible = yield* filterDisplayed(block.items, (item) => item.displayCondition, ctx)
  return yield* substituteDeep(visible, ctx.variables)
}

// A plain string value counts as a one-element list.
function listOf(variableId: string | undefined, variables: Variable[]): (string | null)[] {
  const value = variables.find((variable) => variable.id === variableId)?.value
  if (value === null || value === undefined) return []
  return Array.isArray(value) ? value : [value]
}
