/**
 * What each AI block can do (§7.5): for every block type, its actions, each turning the block's
 * options into an `AiTask` and knowing which variable a streamed answer goes to. Defaults and log
 * messages follow Typebot's forged blocks, except the default OpenAI model (docs/compatibility.md).
 */

import type { AiProvider, AiTask } from '../../../ai-call.js'
import type { BlockContext } from '../../../block-handler.js'
import type { Effectful } from '../../../types.js'
import { substituteVariables } from '../../../variables.js'
import { buildChatMessages } from './chat-messages.js'
import type { AiOptions, AiResponseMapping } from './parse-ai-options.js'
import { buildExtractionSchema, buildTools } from './tool-definitions.js'

export type AiActionKind = AiTask['type']

export type AiAction = {
  kind: AiActionKind
  /** Used when the block names no model; without one the block logs "No model provided". */
  defaultModel?: string
  /** Typebot's context for the error logs of this action. */
  context: string
  /** The variable a streamed answer fills; absent for actions that do not stream. */
  streamVariableId?(options: AiOptions): string | undefined
  buildTask(options: AiOptions, model: string, ctx: BlockContext): Effectful<AiTask | { error: string }>
}

/** The OpenAI model blocks without one use: the default of Typebot's OpenAI options. */
export const defaultOpenAiModel = 'gpt-4o-mini'

const chatCompletion = (provider: AiProvider, defaultModel?: string): AiAction => ({
  kind: 'chat',
  defaultModel,
  context: 'While generating chat completion',
  streamVariableId: (options) => findMapping(options.responseMapping, ['Message content'])?.variableId,
  *buildTask(options, model, ctx) {
    if (!options.messages) return { error: 'No messages provided' }
    const system = yield* substitute(options.systemMessage, ctx)
    const messages = yield* buildChatMessages(options.messages, ctx)
    return {
      type: 'chat',
      messages: system.trim() === '' ? messages : [{ role: 'system', content: system }, ...messages],
      ...(yield* optionalNumber('temperature', options.temperature ?? options.advancedSettings?.temperature, ctx)),
      ...(provider === 'anthropic' ? yield* optionalNumber('maxTokens', options.maxTokens, ctx) : {}),
      tools: yield* buildTools(options.tools, ctx),
      isVisionEnabled: isVisionModel(provider, model),
    }
  },
})

const generateVariables = (defaultModel?: string): AiAction => ({
  kind: 'object',
  defaultModel,
  context: 'While generating variables',
  *buildTask(options, _model, ctx) {
    if (!options.prompt) return { error: 'No prompt provided' }
    const extraction = buildExtractionSchema(options.variablesToExtract, ctx)
    if (!extraction) return { error: 'Could not parse variables to extract' }
    const ending = extraction.hasOptionalFields ? ' and provide empty values if the information is not there or if you are unsure.' : '.'
    return {
      type: 'object',
      prompt: `${yield* substitute(options.prompt, ctx)}\n\nYou should generate a JSON object${ending}`,
      schema: extraction.schema,
    }
  },
})

const askModel: AiAction = {
  kind: 'respond',
  defaultModel: defaultOpenAiModel,
  context: 'While asking the model',
  streamVariableId: (options) => findMapping(options.responseMapping, ['Message'])?.variableId,
  *buildTask(options, model, ctx) {
    const message = yield* substitute(options.message, ctx)
    if (message.trim() === '') return { error: 'Message is empty' }
    const previousResponseId = options.responseIdVariableId ? stringValueOf(options.responseIdVariableId, ctx) : undefined
    const instructions = yield* substitute(options.instructions, ctx)
    const vectorStoreIds: string[] = []
    for (const id of options.fileSearchVectorStoreIds ?? []) {
      const substituted = yield* substitute(id, ctx)
      if (substituted !== '') vectorStoreIds.push(substituted)
    }
    return {
      type: 'respond',
      message,
      ...(instructions ? { instructions } : {}),
      ...(previousResponseId ? { previousResponseId } : {}),
      ...(yield* optionalNumber('temperature', options.temperature, ctx)),
      tools: yield* buildTools(options.functions, ctx),
      vectorStoreIds,
      ...(yield* optionalNumber('fileSearchMaxResults', options.fileSearchMaxNumResults, ctx)),
      ...(yield* optionalNumber('fileSearchScoreThreshold', options.fileSearchScoreThreshold, ctx)),
      isWebSearchEnabled: options.webSearchEnabled === true,
      isCodeInterpreterEnabled: options.codeInterpreterEnabled === true,
      isVisionEnabled: isVisionModel('openai', model),
    }
  },
}

const createSpeech: AiAction = {
  kind: 'speech',
  defaultModel: 'tts-1',
  context: 'While generating speech',
  *buildTask(options, _model, ctx) {
    const input = yield* substitute(options.input, ctx)
    if (!input) return { error: 'Create speech input is empty' }
    if (!options.voice) return { error: 'Create speech voice is empty' }
    if (!options.saveUrlInVariableId) return { error: 'Create speech save variable is empty' }
    const instructions = yield* substitute(options.instructions, ctx)
    return { type: 'speech', input, voice: yield* substitute(options.voice, ctx), ...(instructions ? { instructions } : {}) }
  },
}

const createTranscription: AiAction = {
  kind: 'transcription',
  defaultModel: 'whisper-1',
  context: 'While creating OpenAI transcription',
  *buildTask(options, _model, ctx) {
    const url = yield* substitute(options.url, ctx)
    if (!url) return { error: 'Audio URL is empty' }
    if (!options.transcriptionVariableId) return { error: 'Missing transcription variable' }
    const prompt = yield* substitute(options.prompt, ctx)
    return { type: 'transcription', url, ...(prompt ? { prompt } : {}) }
  },
}

const chatOnly = (provider: AiProvider) => ({ 'Create chat completion': chatCompletion(provider) })

/** Block type -> action name -> action. The legacy v5 `OpenAI` block has its own table below. */
export const forgedAiActions: Record<AiProvider, Record<string, AiAction>> = {
  openai: {
    'Create chat completion': chatCompletion('openai', defaultOpenAiModel),
    'Generate variables': generateVariables(defaultOpenAiModel),
    'Ask Model': askModel,
    'Create speech': createSpeech,
    'Create transcription': createTranscription,
  },
  'open-router': chatOnly('open-router'),
  'together-ai': chatOnly('together-ai'),
  groq: chatOnly('groq'),
  perplexity: chatOnly('perplexity'),
  deepseek: chatOnly('deepseek'),
  mistral: { 'Create chat completion': chatCompletion('mistral'), 'Generate variables': generateVariables() },
  anthropic: { 'Create Chat Message': chatCompletion('anthropic'), 'Generate variables': generateVariables() },
}

/** The legacy block (`task`): its chat completion defaults to the same model as the forged one. */
export const legacyOpenAiActions: Record<string, AiAction> = {
  'Create chat completion': chatCompletion('openai', defaultOpenAiModel),
  'Create speech': createSpeech,
}

/** Actions Typebot offers that botflow does not run; they are skipped with this log. */
export const unsupportedAiActions: Record<string, string> = {
  'Ask Assistant':
    'Ask Assistant cannot run: OpenAI shut its Assistants API down on 26 August 2026. Use Ask Model (the Responses API) instead',
  'Create image': 'Create image is not supported (Typebot does nothing with it either)',
}

/**
 * A mapping whose item is one of `items` or has no item (Typebot's default); the legacy block
 * calls the item `valueToExtract`, and Anthropic's older exports write "Message Content".
 */
export function findMapping(mappings: AiResponseMapping[] | undefined, items: string[]): AiResponseMapping | undefined {
  return mappings?.find((mapping) => {
    const item = itemOf(mapping)
    return item === undefined || items.includes(item)
  })
}

export function itemOf(mapping: AiResponseMapping): string | undefined {
  const item = mapping.item ?? mapping.valueToExtract
  return item === 'Message Content' ? 'Message content' : item || undefined
}

function substitute(text: string | undefined, ctx: BlockContext): Effectful<string> {
  return substituteVariables(text, ctx.variables)
}

function stringValueOf(variableId: string, ctx: BlockContext): string | undefined {
  const value = ctx.variables.find((variable) => variable.id === variableId)?.value
  return typeof value === 'string' && value.trim() !== '' ? value : undefined
}

/** A number option (or a `{{Variable}}` holding one); unset when it is not a finite number. */
function* optionalNumber<K extends string>(
  key: K,
  value: number | string | undefined,
  ctx: BlockContext,
): Effectful<{ [P in K]?: number }> {
  const number = typeof value === 'number' ? value : value === undefined ? Number.NaN : Number.parseFloat(yield* substitute(value, ctx))
  const result: { [P in K]?: number } = {}
  if (Number.isFinite(number)) result[key] = number
  return result
}

/** Models that read images in user messages (Typebot's lists). */
function isVisionModel(provider: AiProvider, model: string): boolean {
  if (provider === 'anthropic') return model.startsWith('claude-')
  if (provider !== 'openai' || model === 'gpt-4-turbo-preview') return false
  return /^(gpt-5|gpt-4-turbo|gpt-4o)/.test(model) || /^gpt-4.*vision-preview$/.test(model)
}
