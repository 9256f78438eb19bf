/** Handlers of the AI blocks (§7.5): Typebot's forged AI blocks and the legacy v5 `OpenAI` block. */

import type { ForgedAiBlock } from '../../../../schemas/blocks/ai.js'
import type { LegacyOpenAiBlock } from '../../../../schemas/blocks/integrations.js'
import { aiProviders } from '../../../ai-call.js'
import type { ExecutableHandler } from '../../../block-handler.js'
import { forgedAiActions, legacyOpenAiActions, unsupportedAiActions } from './ai-actions.js'
import { createAiBlockHandler, type ResolvedAiBlock } from './ai-block-handler.js'
import { parseAiOptions } from './parse-ai-options.js'

function resolveForgedBlock(block: ForgedAiBlock): ResolvedAiBlock {
  const options = parseAiOptions(block.options)
  const actionName = options?.action
  const action = actionName === undefined ? undefined : forgedAiActions[block.type][actionName]
  if (options && action) return { status: 'ready', provider: block.type, action, options, isLegacy: false }
  const unsupported = actionName === undefined ? undefined : unsupportedAiActions[actionName]
  if (unsupported) return { status: 'skipped', log: { status: 'info', description: unsupported } }
  // Typebot's words for a forged block without a usable action.
  return { status: 'skipped', log: { description: `${block.type} is not configured` } }
}

function resolveLegacyBlock(block: LegacyOpenAiBlock): ResolvedAiBlock {
  const options = parseAiOptions(block.options)
  const task = options?.task
  const action = task === undefined ? undefined : legacyOpenAiActions[task]
  if (options && action) return { status: 'ready', provider: 'openai', action, options, isLegacy: true }
  const unsupported = task === undefined ? undefined : unsupportedAiActions[task]
  return { status: 'skipped', log: { status: 'info', description: unsupported ?? 'OpenAI block is not configured' } }
}

const forgedHandler = createAiBlockHandler(resolveForgedBlock)

export const aiHandlers: Record<string, ExecutableHandler> = Object.fromEntries([
  ...aiProviders.map((provider) => [provider, forgedHandler] as const),
  ['OpenAI', createAiBlockHandler(resolveLegacyBlock)] as const,
])
