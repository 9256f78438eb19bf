/**
 * §7.5: the AI blocks. A block finds its credentials, builds its call, and either asks the client
 * to stream the answer into the next bubble (`stream` action, the session then waits on the
 * block) or asks the shell to run the call and maps the outcome into variables. Provider
 * failures are error logs: the flow goes on.
 */

import type { AiCall, AiOutcome, AiProvider } from '../../../ai-call.js'
import type { BlockContext, ExecutableHandler } from '../../../block-handler.js'
import { applyVariableUpdates } from '../../../state.js'
import type { Block, ChatLog, Effectful, EffectResult } from '../../../types.js'
import { guessValueType, normalizeValue, substituteVariables } from '../../../variables.js'
import { type AiAction, itemOf } from './ai-actions.js'
import { applyAiOutcome } from './apply-ai-outcome.js'
import type { AiOptions } from './parse-ai-options.js'
import { isFollowedByStreamedBubble } from './streamed-bubble.js'

/** What a block is about to do, or the log that says why it does nothing. */
export type ResolvedAiBlock =
  | { status: 'ready'; provider: AiProvider; action: AiAction; options: AiOptions; isLegacy: boolean }
  | { status: 'skipped'; log: ChatLog }

export function createAiBlockHandler<B extends Block>(resolve: (block: B) => ResolvedAiBlock): ExecutableHandler<B> {
  return {
    family: 'integration',
    *execute(block, ctx) {
      const resolved = resolve(block)
      if (resolved.status === 'skipped') return { logs: [resolved.log] }
      const prepared = yield* prepareCall(resolved, ctx)
      if ('logs' in prepared) return { logs: prepared.logs }
      if (canStream(block, resolved, ctx)) {
        return { clientSideActions: [{ type: 'stream', stream: true, expectsDedicatedReply: true }] }
      }
      const top = ctx.state.typebotsQueue[0]
      const origin = { workspaceId: ctx.state.workspaceId, typebotId: top.typebotId, blockId: block.id }
      const result: EffectResult = yield {
        type: 'ai',
        call: prepared.call,
        variables: toolVariables(ctx),
        origin: top.resultId ? { ...origin, resultId: top.resultId } : origin,
      }
      const outcome = result.type === 'ai' ? result.outcome : unexpected(result)
      return applyAiOutcome(block.id, resolved.action, resolved.options, outcome, ctx, {
        includesAnswer: true,
        appendsAnswerToList: resolved.isLegacy,
      })
    },
    /** The streamed answer comes back as the client's message; the bubble it filled is not sent again. */
    *resume(block, text, ctx) {
      const resolved = resolve(block)
      if (resolved.status === 'skipped' || !resolved.action.streamVariableId) return {}
      const updates = resolved.isLegacy
        ? legacyAnswerUpdates(resolved.options, text, ctx)
        : answerUpdate(resolved.action.streamVariableId(resolved.options), text)
      const { state, history } = applyVariableUpdates(ctx.state, updates, block.id)
      return { state, setVariableHistory: history, isNextBubbleStreamed: true }
    },
    *prepareStream(block, ctx) {
      const resolved = resolve(block)
      if (resolved.status === 'skipped' || !resolved.action.streamVariableId) {
        return { status: 'notStreamable', message: 'This block does not have a stream function' }
      }
      const prepared = yield* prepareCall(resolved, ctx)
      if ('logs' in prepared) return { status: 'failed', log: prepared.logs[0] ?? { status: 'error', description: 'The block cannot run' } }
      return { status: 'ready', call: prepared.call, variables: toolVariables(ctx) }
    },
    finishStream(block, outcome, ctx) {
      const resolved = resolve(block)
      if (resolved.status === 'skipped') return {}
      return applyAiOutcome(block.id, resolved.action, resolved.options, outcome, ctx, {
        includesAnswer: false,
        appendsAnswerToList: resolved.isLegacy,
      })
    },
  }
}

function* prepareCall(
  resolved: Extract<ResolvedAiBlock, { status: 'ready' }>,
  ctx: BlockContext,
): Effectful<{ call: AiCall } | { logs: ChatLog[] }> {
  const { provider, action, options } = resolved
  const found: EffectResult = yield {
    type: 'findCredentials',
    workspaceId: ctx.state.workspaceId,
    credentialsType: provider,
    ...(options.credentialsId ? { credentialsId: options.credentialsId } : {}),
  }
  if (found.type !== 'findCredentials' || !found.credentials) {
    return {
      logs: [
        {
          status: 'error',
          description: "Couldn't find credentials",
          ...(found.type === 'findCredentials' && found.reason ? { details: found.reason } : {}),
        },
      ],
    }
  }
  const model = (yield* substitute(options.model, ctx)).trim() || action.defaultModel
  if (!model) return { logs: [{ status: 'error', description: 'No model provided' }] }
  const task = yield* action.buildTask(options, model, ctx)
  if ('error' in task) return { logs: [{ status: 'error', description: task.error }] }
  const baseUrl = (yield* substitute(options.baseUrl, ctx)).trim()
  const apiVersion = (yield* substitute(options.apiVersion, ctx)).trim()
  return {
    call: {
      provider,
      credentialsId: found.credentials.id,
      model,
      task,
      ...(baseUrl ? { baseUrl } : {}),
      ...(apiVersion ? { apiVersion } : {}),
    },
  }
}

function canStream(block: Block, resolved: Extract<ResolvedAiBlock, { status: 'ready' }>, ctx: BlockContext): boolean {
  const streamVariableId = resolved.action.streamVariableId?.(resolved.options)
  return ctx.state.isStreamEnabled === true && streamVariableId !== undefined && isFollowedByStreamedBubble(block, streamVariableId, ctx)
}

/** Forged blocks store the JSON-parsed text, as Typebot does (a list answer becomes a list variable). */
function answerUpdate(variableId: string | undefined, text: string) {
  return variableId === undefined ? [] : [{ id: variableId, value: normalizeValue(parseJsonOr(text)) }]
}

/** The legacy block appends the text to every "Message content" variable that holds a list. */
function legacyAnswerUpdates(options: AiOptions, text: string, ctx: BlockContext) {
  return (options.responseMapping ?? []).flatMap((mapping) => {
    if ((itemOf(mapping) ?? 'Message content') !== 'Message content' || !mapping.variableId) return []
    const current = ctx.variables.find((variable) => variable.id === mapping.variableId)?.value
    return [{ id: mapping.variableId, value: Array.isArray(current) ? [...current, text] : normalizeValue(text) }]
  })
}

/** What tool code sees: every variable, by id, with its guessed type. */
function toolVariables(ctx: BlockContext) {
  return ctx.variables.map((variable) => ({ id: variable.id, name: variable.name, value: guessValueType(variable.value) }))
}

function substitute(text: string | undefined, ctx: BlockContext): Effectful<string> {
  return substituteVariables(text, ctx.variables)
}

function parseJsonOr(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

function unexpected(result: EffectResult): AiOutcome {
  return { ok: false, log: { status: 'error', description: `Expected an ai result, got ${result.type}` }, variablesToSet: [] }
}
