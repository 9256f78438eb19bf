import type { CardsInputBlock, CardsItem } from '../../../schemas/blocks/inputs.js'
import type { BlockContext, InputHandler, ParsedReply } from '../../block-handler.js'
import type { Effectful, VariableValue } from '../../types.js'
import { findSingleReferencedVariable, substituteDeep } from '../../variables.js'
import { filterDisplayed, retryMessageOf, toChatInputBase } from './input-helpers.js'

/** §6.2.13: cards with buttons ("paths"), static or generated from list variables. */
export const cardsInputHandler: InputHandler<CardsInputBlock> = {
  family: 'input',
  shortType: 'cards',
  *toChatInput(block, ctx) {
    return yield* toChatInputBase(block, ctx, { items: yield* displayedCards(block, ctx) })
  },
  *parseReply(block, message, ctx) {
    if (message?.type !== 'text') return { status: 'fail' }
    return parseCardsReply(block, yield* displayedCards(block, ctx), message.text, message.metadata?.replyId)
  },
  retryMessage: (_block, ctx) => retryMessageOf(ctx),
}

/** Dynamic cards when the only card references list variables, else the cards still displayed. */
export function* displayedCards(block: CardsInputBlock, ctx: BlockContext): Effectful<CardsItem[]> {
  const template = block.items.length === 1 ? block.items[0] : undefined
  const dynamicCards = template && createDynamicCards(template, ctx)
  if (dynamicCards) return yield* substituteDeep(dynamicCards, ctx.variables)
  const visible = yield* filterDisplayed(block.items, (item) => item.options?.displayCondition, ctx)
  return yield* substituteDeep(visible, ctx.variables)
}

function createDynamicCards(template: CardsItem, ctx: BlockContext): CardsItem[] | undefined {
  const valueFor = (field: string | null | undefined) => findSingleReferencedVariable(field, ctx.variables)?.value
  const imageUrls = valueFor(template.imageUrl)
  const titles = valueFor(template.title)
  const descriptions = valueFor(template.description)
  const internalValues = valueFor(template.options?.internalValue)
  if (![imageUrls, titles, descriptions].some((value) => Array.isArray(value))) return undefined
  const drivingList = [titles, imageUrls, descriptions, internalValues].find((value) => Array.isArray(value)) ?? []
  // Fields that are not a single variable reference end up empty on every card (a Typebot quirk).
  return Array.from({ length: drivingList.length }, (_, index) => ({
    ...template,
    title: elementAt(titles, index),
    description: elementAt(descriptions, index),
    imageUrl: elementAt(imageUrls, index),
    paths: template.paths?.map((path, pathIndex) => ({ ...path, id: `dynamic-card-${index}-path-${pathIndex}` })),
    options: { ...template.options, internalValue: elementAt(internalValues, index) },
  }))
}

function elementAt(value: VariableValue | undefined, index: number): string | null | undefined {
  return Array.isArray(value) ? value[index] : value
}

/**
 * Longest title first, the first card with a path named by the reply (id or replyId), or whose
 * title is the text (case-insensitive, trimmed). The matched path gives the edge; mappings
 * copy the card's fields into variables.
 */
function parseCardsReply(block: CardsInputBlock, cards: CardsItem[], text: string, replyId: string | undefined): ParsedReply {
  const normalizedText = text.trim().toLowerCase()
  const byLongestTitle = [...cards].sort((left, right) => (right.title?.length ?? 0) - (left.title?.length ?? 0))
  const isPathOfReply = (pathId: string) => pathId === text || pathId === replyId
  const card = byLongestTitle.find(
    (candidate) =>
      candidate.paths?.some((path) => isPathOfReply(path.id)) || (candidate.title ?? '').trim().toLowerCase() === normalizedText,
  )
  if (!card) return { status: 'fail' }
  const path = card.paths?.find((candidate) => isPathOfReply(candidate.id)) ?? card.paths?.[0]
  const content = card.title || card.imageUrl || ''
  if (content === '') return { status: 'fail' }
  const variablesToUpdate = (block.options?.saveResponseMapping ?? []).flatMap((mapping) => {
    const value = mappedValue(mapping.field, card, path?.text)
    return mapping.variableId && value !== undefined ? [{ id: mapping.variableId, value }] : []
  })
  return {
    status: 'success',
    content,
    ...(path?.outgoingEdgeId ? { outgoingEdgeId: path.outgoingEdgeId } : {}),
    ...(variablesToUpdate.length > 0 ? { variablesToUpdate } : {}),
  }
}

function mappedValue(field: string | undefined, card: CardsItem, buttonText: string | undefined): string | null | undefined {
  switch (field) {
    case 'Image URL':
      return card.imageUrl
    case 'Title':
      return card.title
    case 'Description':
      return card.description
    case 'Button':
      return buttonText
    case 'Internal Value':
      return card.options?.internalValue || undefined
    default:
      return undefined
  }
}
