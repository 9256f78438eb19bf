/**
 * The shape every block family implements. `blocks/registry.ts` maps each block `type` string to
 * one of these handlers; shared engine code asks the registry and never branches on `block.type`.
 */
import type { AiCall, AiOutcome } from './ai-call.js'
import type {
  Block,
  ChatInput,
  ChatLog,
  ChatMessage,
  ClientSideAction,
  Effectful,
  EngineEnv,
  InputMessage,
  LoadedTypebot,
  SessionState,
  SetVariableHistoryItem,
  TextBubbleContentFormat,
  TurnRecords,
  TypebotSnapshot,
  Variable,
} from './types.js'

/** What a handler may read. The state is never mutated; handlers return a new one. */
export type BlockContext = {
  state: SessionState
  /** The snapshot of the top queue entry (`state.typebotsQueue[0]`). */
  typebot: TypebotSnapshot
  /** The top entry's current variables (same as `state.typebotsQueue[0].variables`). */
  variables: Variable[]
  env: EngineEnv
  textBubbleContentFormat: TextBubbleContentFormat
  /** Id of the group that holds the block. */
  groupId: string
  /** Rows this engine call produced and the shell has not persisted yet (Transcript replays them). */
  pendingRecords?: Readonly<TurnRecords>
}

export type BubbleResult = {
  message: ChatMessage
  /** An embed waiting for an event stops the walk on this block. */
  isWaitingForReply?: boolean
}

export type BubbleHandler<B extends Block = Block> = {
  family: 'bubble'
  /** undefined = the bubble has no content and is skipped. */
  toMessage(block: B, ctx: BlockContext): Effectful<BubbleResult | undefined>
  /** Bubbles that wait (embed with waitForEvent) take the next text here. */
  resume?(block: B, text: string, ctx: BlockContext): Effectful<ExecutionResult>
}

export type ParsedReply =
  | {
      status: 'success'
      content: string
      outgoingEdgeId?: string
      /** Extra variable writes (cards response mapping). */
      variablesToUpdate?: { id: string; value: unknown }[]
    }
  | { status: 'fail' }
  | { status: 'skip' }

export type InputHandler<B extends Block = Block> = {
  family: 'input'
  /** Short name written by reply events' `inputTypeVariableId`: "text", "number", "buttons"... */
  shortType: string
  /** The block as the client receives it (§6.2.0), variables substituted. */
  toChatInput(block: B, ctx: BlockContext): Effectful<ChatInput>
  /** Validates a reply; may ask the shell for effects (inline code in options, a payment check). */
  parseReply(block: B, message: InputMessage | undefined, ctx: BlockContext): Effectful<ParsedReply>
  /** Text of the retry bubble when a reply fails (§4.8). */
  retryMessage(block: B, ctx: BlockContext): Effectful<string>
  /**
   * Runs each time the input is sent (first time and after a refused reply), before
   * `toChatInput`: what it needs from the outside world (a payment to prepare) and remembers in
   * the session; its `runtimeOptions` go to the client with the input.
   */
  prepare?(block: B, ctx: BlockContext): Effectful<InputPreparation>
  /** Checks a reply `parseReply` accepted against the outside world (a payment really made). */
  verifyReply?(block: B, parsed: Extract<ParsedReply, { status: 'success' }>, ctx: BlockContext): Effectful<ParsedReply>
}

export type InputPreparation = { state?: SessionState; runtimeOptions?: Record<string, unknown>; logs?: ChatLog[] }

/** What a logic or integration block returns (§4.2.2). */
export type ExecutionResult = {
  /** string: leave the group by this edge; null: leave the group, no edge; undefined: next block. */
  outgoingEdgeId?: string | null
  /** Whether `outgoingEdgeId` is off the default path (item, condition, jump...): recorded as visited. */
  isOffDefaultPath?: boolean
  state?: SessionState
  logs?: ChatLog[]
  clientSideActions?: ClientSideAction[]
  setVariableHistory?: SetVariableHistoryItem[]
  customEmbedBubble?: Record<string, unknown>
  /** Typebots this block pushed on the queue (Typebot link): the walk needs their snapshots. */
  loadedTypebots?: LoadedTypebot[]
  /** The client already shows the next bubble (a streamed AI answer): the walk skips it (§4.2.2). */
  isNextBubbleStreamed?: boolean
}

/** One block of a Transcript replay (§4.15.3): routing only, recomputed without effects. */
export type ReplayStep = {
  /** Same meaning as in ExecutionResult. */
  outgoingEdgeId?: string | null
  state?: SessionState
  /** The next recorded visited edge was produced by this block and is used up. */
  consumesVisitedEdge?: boolean
}

export type ExecutableHandler<B extends Block = Block> = {
  family: 'logic' | 'integration'
  execute(block: B, ctx: BlockContext): Effectful<ExecutionResult>
  /**
   * A block that waits for an outside call (webhook listener): continueChat without a message
   * asks again (its actions are sent anew, nothing changes) instead of walking past it.
   */
  isWaitingForOutsideCall?: boolean
  /**
   * For blocks that stopped the walk waiting for a dedicated reply (client-side Set variable,
   * HTTP request executed on the client, webhook listener): applies the text the client sent.
   */
  resume?(block: B, text: string, ctx: BlockContext): Effectful<ExecutionResult>
  /**
   * How the block routes when a Transcript replays the conversation (variables come from the
   * recorded history, not from here). Absent: the replay passes through to the next block.
   */
  replay?(block: B, ctx: BlockContext, nextVisitedEdgeId: string | undefined): Effectful<ReplayStep>
  /** AI blocks: the call `streamMessage` runs for the block the session waits on (§3.7). */
  prepareStream?(block: B, ctx: BlockContext): Effectful<PreparedAiStream>
  /** AI blocks: what a finished stream produced besides the answer (token counts, tool variables, an error log). */
  finishStream?(block: B, outcome: AiOutcome, ctx: BlockContext): ExecutionResult
}

/** What `streamMessage` runs: the call, or why the block cannot stream now. */
export type PreparedAiStream =
  | { status: 'ready'; call: AiCall; variables: { id: string; name: string; value: unknown }[] }
  | { status: 'notStreamable'; message: string }
  | { status: 'failed'; log: ChatLog }

export type BlockHandler<B extends Block = Block> = BubbleHandler<B> | InputHandler<B> | ExecutableHandler<B>

export type { ChatInput, ChatMessage }
