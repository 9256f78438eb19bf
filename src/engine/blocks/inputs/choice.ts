import type { ChoiceInputBlock, ChoiceItem } from '../../../schemas/blocks/inputs.js'
import type { BlockContext, InputHandler } from '../../block-handler.js'
import type { Effectful } from '../../types.js'
import { hasValue, substituteDeep } from '../../variables.js'
import { parseMultipleChoice, parseSingleChoice } from './choice-matching.js'
import { filterDisplayed, retryMessageOf, toChatInputBase, toValueList } from './input-helpers.js'

/** §6.2.8: buttons, static (display conditions) or dynamic (one per entry of a list variable). */
export const choiceInputHandler: InputHandler<ChoiceInputBlock> = {
  family: 'input',
  shortType: 'buttons',
  *toChatInput(block, ctx) {
    return yield* toChatInputBase(block, ctx, { items: yield* displayedChoiceItems(block, ctx) })
  },
  *parseReply(block, message, ctx) {
    if (message?.type !== 'text') return { status: 'fail' }
    const items = (yield* displayedChoiceItems(block, ctx)).map((item) => ({ ...item, content: item.content ?? '' }))
    return block.options?.isMultipleChoice
      ? parseMultipleChoice(items, message.text)
      : parseSingleChoice(items, message.text, message.metadata?.replyId)
  },
  retryMessage: (_block, ctx) => retryMessageOf(ctx),
}

/** The buttons the client shows; replies are matched against these only. */
export function* displayedChoiceItems(block: ChoiceInputBlock, ctx: BlockContext): Effectful<ChoiceItem[]> {
  const dynamicVariableId = block.options?.dynamicVariableId
  if (dynamicVariableId) {
    const variable = ctx.variables.find((candidate) => candidate.id === dynamicVariableId && hasValue(candidate.value))
    // Without a value the stored buttons are shown as they are.
    if (!variable) return block.items
    const entries = toValueList(variable.value).filter((entry): entry is string => entry !== null && entry !== '')
    return [...new Set(entries)].map((content, index) => ({ id: `choice${index}`, content }))
  }
  const visible = yield* filterDisplayed(block.items, (item) => item.displayCondition, ctx)
  return yield* substituteDeep(visible, ctx.variables)
}
