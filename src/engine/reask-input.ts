/**
 * An operator resumes a paused conversation: the bot asks again what it was waiting for. The
 * bubbles right before the waiting input (in its group) and the input itself are rendered with
 * the current variables, so values the operator set show up; no block runs, so no HTTP call or
 * Set variable happens twice, and the session stays where it was.
 */
import { findBlockHandler } from './blocks/registry.js'
import type { ContinueOptions } from './continue-session.js'
import { blockContextOf, createEngineRun, viewOfTop } from './engine-run.js'
import type { ChatInput, ChatMessage, Effectful, EngineEnv, SessionState } from './types.js'

export type Reask = { messages: ChatMessage[]; input?: ChatInput }

export function* reaskWaitingInput(state: SessionState, options: ContinueOptions, env: EngineEnv): Effectful<Reask> {
  const run = createEngineRun(options.typebots, options.textBubbleContentFormat, env)
  const view = viewOfTop(run, state)
  const location = state.currentBlockId ? view.findBlock(state.currentBlockId) : undefined
  const group = location && view.findGroup(location.groupId)
  const handler = location && findBlockHandler(location.block)
  if (!location || !group || handler?.family !== 'input') return { messages: [] }

  let first = location.index
  while (first > 0) {
    const previous = group.blocks[first - 1]
    if (!previous || findBlockHandler(previous)?.family !== 'bubble') break
    first -= 1
  }
  const ctx = blockContextOf(run, state, group.id)
  const messages: ChatMessage[] = []
  for (const block of group.blocks.slice(first, location.index)) {
    const bubble = findBlockHandler(block)
    if (bubble?.family !== 'bubble') continue
    const rendered = yield* bubble.toMessage(block, ctx)
    if (rendered) messages.push(rendered.message)
  }
  return { messages, input: yield* handler.toChatInput(location.block, ctx) }
}
