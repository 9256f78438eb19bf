/**
 * The engine's vocabulary. The engine is pure: it gets a typebot snapshot, a session state, a
 * reply and an `EngineEnv`, and gives back a new state plus what to show. Anything that needs the
 * outside world (an HTTP call, another typebot from storage, a server-side script with fetch) is
 * yielded as an `EffectRequest` from a generator; the shell (`src/chat/drive-effects.ts`) performs it and resumes.
 */
import type { Block, Edge, Group, TypebotEvent, Variable } from '../schemas/typebot.js'
import type { AiCall, AiOutcome } from './ai-call.js'

export type { Block, Edge, Group, TypebotEvent, Variable }

/** What a variable can hold at runtime (docs/runtime.md §5.1): never numbers or objects. */
export type VariableValue = string | (string | null)[] | null

/** An immutable, parsed typebot version as the engine runs it. Shared between sessions. */
export type TypebotSnapshot = {
  id: string
  version: string
  groups: Group[]
  events: TypebotEvent[] | null
  edges: Edge[]
  variables: Variable[]
  settings: Record<string, unknown>
  theme: Record<string, unknown>
}

/** A snapshot plus the id of the stored version it came from (what session state points at). */
export type LoadedTypebot = { versionId: string; typebot: TypebotSnapshot }

export type Answer = { key: string; value: string }

/** A synthetic block the engine inserted at runtime (event entry blocks, `virtual-<eventId>-block`). */
export type VirtualBlock = { groupId: string; index: number; block: Block }

/**
 * One typebot of the link queue. Unlike Typebot we never copy the graph into the session: the
 * entry points at an immutable stored version and keeps only what belongs to the conversation.
 */
export type QueueEntry = {
  typebotId: string
  versionId: string
  resultId?: string
  /**
   * This typebot's variables: in a `SessionState`, every variable its version declares, in the
   * declared order, then the ones only the session has; in a `CompactSessionState`, only those
   * the version does not imply (see compact-variables.ts).
   */
  variables: Variable[]
  answers: Answer[]
  queuedEdgeIds?: string[]
  isMergingWithParent?: boolean
  /** Edges created at runtime (`virtual-...`), looked up before the snapshot's edges. */
  virtualEdges?: Edge[]
  virtualBlocks?: VirtualBlock[]
}

export type ReturnMark = {
  status: 'pending' | 'called'
  blockId: string
  autoResumeMessage?: InputMessage
}

/** The link queue: the running typebot first, the typebots that linked to it after; never empty. */
export type TypebotQueue = [QueueEntry, ...QueueEntry[]]

export type SessionState = {
  version: 'botflow-1'
  workspaceId: string
  isPreview: boolean
  typebotsQueue: TypebotQueue
  currentBlockId?: string
  dynamicTheme?: { hostAvatarUrl?: string; guestAvatarUrl?: string; backgroundUrl?: string }
  isStreamEnabled?: boolean
  allowedOrigins?: string[]
  progressMetadata?: { totalAnswers: number }
  returnMark?: ReturnMark
  currentVisitedEdgeIndex?: number
  setVariableIdsForHistory?: string[]
  currentSetVariableHistoryIndex?: number
  /** Preview sessions have no result: answers and history live here so Transcript works. */
  previewMetadata?: {
    answers?: { blockId: string; content: string; attachedFileUrls?: string[] }[]
    visitedEdges?: string[]
    setVariableHistory?: { blockId: string; variableId: string; value: VariableValue; blockIndex: number }[]
  }
  /** Session TTL in ms from the last write; absent = never expires by time. */
  expiryTimeout?: number
  /**
   * Set by a typebot update that deleted the block this session waited on: the next
   * continueSession walks from the start of `groupId` (or the start event when absent) and logs `reason`.
   */
  relocation?: { groupId?: string; reason: string }
  /**
   * A payload received by the webhook resume endpoint while the session waits on that "webhook"
   * block; the next continueChat without a message applies it (Typebot relays it via a socket).
   */
  pendingWebhookReply?: { blockId: string; text: string }
  /**
   * The Stripe PaymentIntent made for the payment input the session waits on: a reply is accepted
   * only when Stripe says this one succeeded (clients only say "Success").
   */
  pendingPayment?: { blockId: string; paymentIntentId: string; credentialsId: string; mode: 'live' | 'test' }
  /**
   * Preview only: the user who started the session. Typebot links open only drafts this user may
   * read, and only this user may restart the session by its id.
   */
  previewUserId?: string
  /**
   * Set while an operator has taken the conversation over: the shell stores the user's messages
   * and answers without running the engine until the session is resumed.
   */
  pause?: { since: string; reason?: string }
}

/**
 * A session state as stored: each queue entry keeps only the variables its version does not
 * imply, so the stored size follows what the conversation did, not the size of the typebot.
 */
export type CompactSessionState = Omit<SessionState, 'version'> & { version: 'botflow-2' }

/** What a session row holds: compact, or a full state written before compact states existed. */
export type StoredSessionState = CompactSessionState | SessionState

export type InputMessage =
  | { type: 'text'; text: string; metadata?: { replyId?: string }; attachedFileUrls?: string[] }
  | { type: 'audio'; url: string }
  | { type: 'command'; command: string }

export type TextBubbleContentFormat = 'richText' | 'markdown'

/** Rich text as Typebot stores it (Slate/Plate JSON): elements with children, leaves with text. */
export type RichTextNode = {
  type?: string
  text?: string
  children?: RichTextNode[]
  url?: string
  bold?: boolean
  italic?: boolean
  underline?: boolean
  [key: string]: unknown
}

export type ChatMessage =
  | { id: string; type: 'text'; content: { type: 'richText'; richText: RichTextNode[] } | { type: 'markdown'; markdown: string } }
  | { id: string; type: 'image'; content: Record<string, unknown> }
  | { id: string; type: 'video'; content: Record<string, unknown> }
  | { id: string; type: 'audio'; content: Record<string, unknown> }
  | { id: string; type: 'embed'; content: Record<string, unknown> }
  | { id: string; type: 'custom-embed'; content: Record<string, unknown> }

/** The input block as sent to the client (§6.2.0): the stored block, substituted, plus extras. */
export type ChatInput = Record<string, unknown> & { id: string; type: string; prefilledValue?: string; runtimeOptions?: unknown }

export type ClientSideAction = Record<string, unknown> & {
  type: string
  lastBubbleBlockId?: string
  expectsDedicatedReply?: boolean
}

export type ChatLog = { status?: string; description: string; details?: string; context?: string }

export type SetVariableHistoryItem = {
  blockId: string
  variableId: string
  value: VariableValue
  blockIndex: number
  index: number
}

/** Rows the shell writes in the same transaction as the session (live sessions only). */
export type TurnRecords = {
  answers: { resultId: string; blockId: string; content: string; attachedFileUrls?: string[] }[]
  visitedEdges: { resultId: string; edgeId: string; index: number }[]
  setVariableHistory: (SetVariableHistoryItem & { resultId: string })[]
  /** Results to upsert (the top result, and results of linked typebots that were left). */
  results: {
    id: string
    typebotId: string
    variables: Variable[]
    hasStarted: boolean
    isCompleted: boolean
  }[]
  logs: (ChatLog & { resultId: string })[]
}

/** Everything one engine call produces. `state` is the new state to save. */
export type Turn = {
  state: SessionState
  messages: ChatMessage[]
  input?: ChatInput
  clientSideActions: ClientSideAction[]
  logs: ChatLog[]
  /** true when a walk ran (continueChat then sends clientSideActions and logs, possibly []). */
  hasWalked: boolean
  /** true when the answer was refused and the retry message is in `messages`. */
  isRetry: boolean
  lastMessageNewFormat?: string
  /** No input, no blocking action, nothing awaited: the conversation is over. */
  isCompleted: boolean
  /** The session is exactly as it was (a poll of a webhook wait): the shell writes nothing. */
  isUnchanged?: boolean
  progress?: number
  records: TurnRecords
}

export type CodeResult = { ok: true; value: unknown } | { ok: false; error: string }

/**
 * The non-deterministic parts of the world, injected so engine tests are exact. Untrusted code is
 * not evaluated here: it is a `runCode` effect the shell performs in its sandbox.
 */
export type EngineEnv = {
  now(): number
  random(): number
  newId(): string
}

export type HttpRequestSpec = {
  url: string
  method: string
  headers: Record<string, string>
  body?: string
  /** Milliseconds; undefined = the server default. */
  timeoutMs?: number
}

/** Requests the engine yields to the shell; each resumes the generator with its `*Result`. */
export type EffectRequest =
  | { type: 'httpRequest'; request: HttpRequestSpec }
  /** `userId`: in preview, whose read access the linked draft needs (the session's `previewUserId`). */
  | { type: 'loadTypebot'; typebotId: string; isPreview: boolean; workspaceId: string; userId?: string }
  | { type: 'runServerScript'; content: string; variables: { id: string; name: string; value: unknown }[] }
  | { type: 'loadHistory'; resultId: string }
  /** The URL Zapier or Make subscribed to this HTTP request block (webhookBlocks/subscribe), if any. */
  | { type: 'findWebhookBlockUrl'; typebotId: string; blockId: string }
  | {
      type: 'createPaymentIntent'
      workspaceId: string
      /** The block's credentials; absent: the workspace's only Stripe credentials. */
      credentialsId?: string
      /** Preview sessions use the test keys when the credentials have them. */
      isPreview: boolean
      /** In the currency's smallest unit. */
      amount: number
      currency: string
      description?: string
      receiptEmail?: string
    }
  | { type: 'retrievePaymentIntent'; workspaceId: string; credentialsId: string; mode: 'live' | 'test'; paymentIntentId: string }
  | {
      type: 'sendEmail'
      email: {
        to: string[]
        cc?: string[]
        bcc?: string[]
        replyTo?: string
        subject?: string
        text?: string
        html?: string
        /** Files to attach: only botflow's own file URLs are accepted (read from storage, never fetched). */
        attachmentUrls?: string[]
      }
      /** Whose SMTP server sends it: the block's credentials, or the server's sender when absent / "default". */
      sender: { workspaceId: string; credentialsId?: string }
      /** The typebot and result the e-mail is sent for (attachments must be their uploads). */
      origin: { typebotId: string; resultId?: string }
    }
  /** Untrusted JavaScript: `code` is a function body, `globals` are bound by name. */
  | { type: 'runCode'; code: string; globals: Record<string, unknown> }
  /** A safe point between two blocks: the shell may serve other work or end an overlong turn. */
  | { type: 'checkpoint' }
  /** Which credentials of the workspace a block uses (credentials/resolve-credentials.ts); never their data. */
  | { type: 'findCredentials'; workspaceId: string; credentialsType: string; credentialsId?: string }
  /** `variables` are what tool code sees; a file the call makes (speech) belongs to `origin`. */
  | {
      type: 'ai'
      call: AiCall
      variables: { id: string; name: string; value: unknown }[]
      origin: { workspaceId: string; typebotId: string; resultId?: string; blockId: string }
    }

export type HttpResponseResult = {
  statusCode: number
  data: unknown
  /** Raw body text, for logs. */
  text?: string
  /** Set when the request was not sent or failed (SSRF refusal, timeout, network error). */
  error?: string
}

export type EffectResult =
  | { type: 'httpRequest'; response: HttpResponseResult }
  | { type: 'loadTypebot'; loaded: LoadedTypebot | undefined }
  /** `value`: what the script returned (AI tools give it to the model). */
  | { type: 'runServerScript'; ok: boolean; variablesToSet: { name: string; value: unknown }[]; value?: unknown; error?: string }
  | {
      type: 'loadHistory'
      answers: { blockId: string; content: string; attachedFileUrls?: string[] }[]
      visitedEdges: string[]
      setVariableHistory: { blockId: string; variableId: string; value: VariableValue; blockIndex: number }[]
    }
  | { type: 'sendEmail'; ok: boolean; error?: string }
  | {
      type: 'createPaymentIntent'
      ok: true
      paymentIntentId: string
      clientSecret: string
      publicKey: string
      credentialsId: string
      mode: 'live' | 'test'
    }
  | { type: 'createPaymentIntent'; ok: false; error: string }
  | { type: 'retrievePaymentIntent'; ok: true; status: string }
  | { type: 'retrievePaymentIntent'; ok: false; error: string }
  | { type: 'runCode'; result: CodeResult }
  | { type: 'checkpoint' }
  | { type: 'findCredentials'; credentials?: { id: string; name: string }; reason?: string }
  | { type: 'ai'; outcome: AiOutcome }
  | { type: 'findWebhookBlockUrl'; url?: string }

/** A computation that may ask the shell for effects; `yield*` composes them. */
export type Effectful<T> = Generator<EffectRequest, T, EffectResult>
