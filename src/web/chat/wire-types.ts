/**
 * The Chat API 3.0.0 payloads as the browser reads them. Every field is optional beyond what the
 * page needs to route on: the page renders what it can and ignores what it does not know.
 */

export type RichTextNode = {
  type?: string
  text?: string
  children?: RichTextNode[]
  url?: string
  bold?: boolean
  italic?: boolean
  underline?: boolean
  strikethrough?: boolean
  code?: boolean
}

export type TextContent = { type: 'richText'; richText: RichTextNode[] } | { type: 'markdown'; markdown: string }

export type VideoContent = {
  url?: string
  id?: string
  type?: string
  height?: number | string
  aspectRatio?: string
  maxWidth?: string
  queryParamsStr?: string
  areControlsDisplayed?: boolean
  isAutoplayEnabled?: boolean
}

export type EmbedContent = {
  url?: string
  height?: number | string
  waitForEvent?: { isEnabled?: boolean; name?: string }
}

export type ChatMessage =
  | { id: string; type: 'text'; content: TextContent }
  | { id: string; type: 'image'; content: { url?: string; clickLink?: { url?: string; alt?: string } } }
  | { id: string; type: 'video'; content: VideoContent }
  | { id: string; type: 'audio'; content: { url?: string; isAutoplayEnabled?: boolean } }
  | { id: string; type: 'embed'; content: EmbedContent }
  | { id: string; type: 'custom-embed'; content: Record<string, unknown> }

/** The input block the bot waits on: `options` and `items` depend on `type`. */
export type ChatInput = {
  id: string
  type: string
  options?: Record<string, unknown>
  items?: Record<string, unknown>[]
  prefilledValue?: string
  /** Payment inputs: what Stripe.js needs (`paymentIntentSecret`, `publicKey`, `amountLabel`). */
  runtimeOptions?: Record<string, unknown>
}

export type ClientSideAction = {
  type: string
  lastBubbleBlockId?: string
  expectsDedicatedReply?: boolean
  [payload: string]: unknown
}

export type DynamicTheme = { hostAvatarUrl?: string; guestAvatarUrl?: string; backgroundUrl?: string }

/** What startChat and continueChat both answer. */
export type ChatTurn = {
  messages: ChatMessage[]
  input?: ChatInput
  clientSideActions?: ClientSideAction[]
  dynamicTheme?: DynamicTheme
  progress?: number
  lastMessageNewFormat?: string
}

export type StartChatResponse = ChatTurn & {
  sessionId: string
  resultId?: string
  typebot: { id: string; version: string; theme: Record<string, unknown>; settings: Record<string, unknown> }
}

/** A reply as continueChat takes it. */
export type OutgoingMessage =
  | { type: 'text'; text: string; metadata?: { replyId: string }; attachedFileUrls?: string[] }
  | { type: 'audio'; url: string }

export type ApiError = { status: number; message: string; code?: string }
