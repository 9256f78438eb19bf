/**
 * Request and response schemas of Typebot's Chat API 3.0.0 as botflow serves it. Routes declare
 * them; Fastify validates requests and serializes responses with them; the OpenAPI document is
 * generated from them.
 */
import { z } from 'zod'

const textMessageSchema = z.object({
  type: z.literal('text'),
  text: z.string(),
  metadata: z.object({ replyId: z.string().optional() }).optional(),
  attachedFileUrls: z.array(z.string()).optional(),
})
const audioMessageSchema = z.object({ type: z.literal('audio'), url: z.string() })
const commandMessageSchema = z.object({ type: z.literal('command'), command: z.string() })

/** A bare string is Typebot's shorthand for `{ type: "text", text }`. */
export const inputMessageSchema = z
  .union([z.string(), z.discriminatedUnion('type', [textMessageSchema, audioMessageSchema, commandMessageSchema])])
  .transform((message) => (typeof message === 'string' ? { type: 'text' as const, text: message } : message))
  .describe('The user\'s reply: a string, `{ type: "text", text }`, `{ type: "audio", url }` or `{ type: "command", command }`.')

const textBubbleContentFormatSchema = z
  .enum(['richText', 'markdown'])
  .default('richText')
  .describe('Format of text bubbles in this response.')

const prefilledVariablesSchema = z.record(z.string(), z.unknown()).describe('Initial variable values, by variable name.')

export const startChatBodySchema = z.object({
  resultId: z.string().optional().describe('Reuse an existing result (honoured when the typebot remembers users).'),
  message: inputMessageSchema.optional().describe('Answer to a flow that starts with an input block.'),
  isStreamEnabled: z.boolean().default(false),
  isOnlyRegistering: z.boolean().default(false).describe('Create the session without running the flow.'),
  prefilledVariables: prefilledVariablesSchema.optional(),
  textBubbleContentFormat: textBubbleContentFormatSchema,
})
export type StartChatBody = z.infer<typeof startChatBodySchema>

export const startPreviewChatBodySchema = z.object({
  // 100 is the longest path parameter the router accepts: a longer id could never be continued.
  sessionId: z.string().min(1).max(100).optional().describe('Use this session id, replacing a preview session with the same id.'),
  startFrom: z
    .discriminatedUnion('type', [
      z.object({ type: z.literal('group'), groupId: z.string() }),
      z.object({ type: z.literal('event'), eventId: z.string() }),
    ])
    .optional(),
  message: inputMessageSchema.optional(),
  isStreamEnabled: z.boolean().default(false),
  isOnlyRegistering: z.boolean().default(false),
  prefilledVariables: prefilledVariablesSchema.optional(),
  isProgressBarEnabled: z.boolean().optional().describe("Override the theme's progress bar flag for this session."),
  textBubbleContentFormat: textBubbleContentFormatSchema,
})
export type StartPreviewChatBody = z.infer<typeof startPreviewChatBodySchema>

export const continueChatBodySchema = z.object({
  message: inputMessageSchema.nullish(),
  textBubbleContentFormat: textBubbleContentFormatSchema,
})
export type ContinueChatBody = z.infer<typeof continueChatBodySchema>

const richTextContentSchema = z.object({ type: z.literal('richText'), richText: z.array(z.looseObject({})) })
const markdownContentSchema = z.object({ type: z.literal('markdown'), markdown: z.string() })

const chatMessageSchema = z.discriminatedUnion('type', [
  z.object({ id: z.string(), type: z.literal('text'), content: z.union([richTextContentSchema, markdownContentSchema]) }),
  z.object({ id: z.string(), type: z.literal('image'), content: z.looseObject({}) }),
  z.object({ id: z.string(), type: z.literal('video'), content: z.looseObject({}) }),
  z.object({ id: z.string(), type: z.literal('audio'), content: z.looseObject({}) }),
  z.object({ id: z.string(), type: z.literal('embed'), content: z.looseObject({}) }),
  z.object({ id: z.string(), type: z.literal('custom-embed'), content: z.looseObject({}) }),
])

const chatInputSchema = z
  .looseObject({ id: z.string(), type: z.string(), prefilledValue: z.string().optional() })
  .describe('The input block the bot waits on, as stored, with variables substituted.')

const clientSideActionSchema = z
  .looseObject({ type: z.string(), lastBubbleBlockId: z.string().optional(), expectsDedicatedReply: z.boolean().optional() })
  .describe('An action for the client: redirect, script, wait, setVariable, ...')

export const chatLogSchema = z.object({
  status: z.string().optional(),
  description: z.string(),
  details: z.string().optional(),
  context: z.string().optional(),
})

const dynamicThemeSchema = z.object({
  hostAvatarUrl: z.string().optional(),
  guestAvatarUrl: z.string().optional(),
  backgroundUrl: z.string().optional(),
})

const chatTurnFields = {
  messages: z.array(chatMessageSchema),
  input: chatInputSchema.optional(),
  clientSideActions: z.array(clientSideActionSchema).optional(),
  logs: z.array(chatLogSchema).optional(),
  dynamicTheme: dynamicThemeSchema.optional(),
  progress: z.number().optional(),
}

export const startChatResponseSchema = z.object({
  sessionId: z.string(),
  resultId: z.string().optional(),
  typebot: z.object({
    id: z.string(),
    version: z.string(),
    theme: z.looseObject({}),
    settings: z.looseObject({}),
    publishedAt: z.string().optional(),
  }),
  ...chatTurnFields,
})
export type StartChatResponse = z.infer<typeof startChatResponseSchema>

export const continueChatResponseSchema = z.object({
  ...chatTurnFields,
  lastMessageNewFormat: z.string().optional().describe('The reply as the bot understood it, when it was reformatted.'),
})
export type ContinueChatResponse = z.infer<typeof continueChatResponseSchema>

export const clientLogsBodySchema = z.object({ clientLogs: z.array(chatLogSchema) })
export const legacyClientLogsBodySchema = z.object({
  clientLogs: z.array(chatLogSchema.extend({ details: z.unknown().optional() })),
})

export const sessionIdParamsSchema = z.object({ sessionId: z.string().min(1) })

export const messageResponseSchema = z.object({ message: z.string() })

export const errorBodySchema = z
  .object({
    message: z.string().describe('The error message'),
    code: z.string().describe('The error code'),
    issues: z
      .array(z.object({ message: z.string(), path: z.array(z.union([z.string(), z.number()])).optional() }))
      .optional()
      .describe('What made the request invalid'),
  })
  .describe('The error information')
