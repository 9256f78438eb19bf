/**
 * A stored result's conversation, rebuilt for `GET .../results/{id}/transcript` by the same
 * replay the Transcript variable uses (§4.15.3): from a fresh state of the given version, the
 * recorded answers, visited edges and set-variable history decide every step; nothing runs.
 */
import type { BlockContext } from './block-handler.js'
import { type ConversationHistory, replayConversation, type TranscriptMessage } from './blocks/logic/set-variable/replay-conversation.js'
import { createInitialState } from './initial-state.js'
import type { Effectful, EngineEnv, LoadedTypebot } from './types.js'

export type { ConversationHistory, TranscriptMessage }

export function* computeResultTranscript(
  loaded: LoadedTypebot,
  history: ConversationHistory,
  env: EngineEnv,
): Effectful<TranscriptMessage[]> {
  const state = createInitialState({
    loaded,
    workspaceId: '',
    isPreview: false,
    resultId: 'transcript',
    textBubbleContentFormat: 'markdown',
  })
  const ctx: BlockContext = {
    state,
    typebot: loaded.typebot,
    variables: state.typebotsQueue[0].variables,
    env,
    textBubbleContentFormat: 'markdown',
    groupId: '',
  }
  // No block id is empty: the replay runs until the recorded conversation is used up.
  return yield* replayConversation(ctx, history, '')
}
