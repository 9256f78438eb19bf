/**
 * Block type -> handler: the only list of block types in the engine. Shared engine code asks
 * here and never branches on `block.type` itself.
 */

import { isUnsupportedBlock, type UnsupportedBlock } from '../../schemas/typebot.js'
import type { BlockHandler } from '../block-handler.js'
import type { Block, ChatLog } from '../types.js'
import { bubbleHandlers } from './bubbles.js'
import { inputHandlers } from './inputs/index.js'
import { integrationHandlers } from './integrations/index.js'
import { logicHandlers } from './logic/index.js'

// Each table is keyed by the type string its handlers accept, so a handler taken from this map
// only ever receives its own block type: the `any` stays inside this file.
// biome-ignore lint/suspicious/noExplicitAny: see above, the any stays in this file
type AnyBlockHandler = BlockHandler<any>

let handlersByType: ReadonlyMap<string, AnyBlockHandler> | undefined

/** The handler of a block; undefined for unsupported and unknown types (both are skipped). */
export function findBlockHandler(block: Block): BlockHandler | undefined {
  if (isUnsupportedBlock(block)) return undefined
  // Built on first use: handler modules import engine helpers that import this file back.
  handlersByType ??= new Map<string, AnyBlockHandler>([
    ...Object.entries<AnyBlockHandler>(bubbleHandlers),
    ...Object.entries<AnyBlockHandler>(inputHandlers),
    ...Object.entries<AnyBlockHandler>(logicHandlers),
    ...Object.entries<AnyBlockHandler>(integrationHandlers),
  ])
  return handlersByType.get(block.type)
}

export { isUnsupportedBlock }

export function unsupportedBlockLog(block: UnsupportedBlock): ChatLog {
  return { status: 'info', description: `${block.type} block is not supported by botflow and was skipped` }
}

/**
 * Inputs a start `message` may answer directly (§4.5.1): not the ones whose reply must name one
 * of the displayed items, nor a payment.
 */
export function acceptsStartMessage(inputType: string): boolean {
  return !['cards', 'picture choice input', 'choice input', 'payment input'].includes(inputType)
}

export type StartProps = { googleAnalyticsId?: string; pixelIds?: string[] }

/** What a block contributes to the `startPropsToInject` action (§7.7). */
export function startPropsOf(block: Block): StartProps {
  if (isUnsupportedBlock(block) || !('options' in block)) return {}
  const options: unknown = block.options
  if (typeof options !== 'object' || options === null) return {}
  if (block.type === 'Google Analytics' && 'trackingId' in options && typeof options.trackingId === 'string' && options.trackingId) {
    return { googleAnalyticsId: options.trackingId }
  }
  if (block.type === 'Pixel' && 'pixelId' in options && typeof options.pixelId === 'string' && options.pixelId) {
    const isInitSkipped = 'isInitSkip' in options && options.isInitSkip === true
    return isInitSkipped ? {} : { pixelIds: [options.pixelId] }
  }
  return {}
}
