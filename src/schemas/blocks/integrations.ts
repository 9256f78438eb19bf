import { z } from 'zod'

/**
 * zod schemas of the built-in integration blocks (docs/runtime.md §7), one per `type` string.
 * Forged blocks (`openai`, `qr-code`, ...) are not listed: the registry keeps them as
 * unsupported. Everything is optional and lenient because exports of every Typebot version must
 * load: option objects keep unknown fields, and the `null`s older exports wrote for unset fields
 * read as absent.
 */

const blockBaseShape = { id: z.string(), outgoingEdgeId: z.string().optional() }

function maybe<T extends z.ZodType>(schema: T) {
  return schema
    .nullish()
    .transform((value) => value ?? undefined)
    .optional()
}

/** Header and query rows: the editor may leave any cell empty or hold a non-string. */
const keyValueSchema = z.looseObject({
  id: maybe(z.string()),
  key: maybe(z.unknown()).transform(toOptionalText),
  value: maybe(z.unknown()).transform(toOptionalText),
})

function toOptionalText(value: unknown): string | undefined {
  if (value === undefined) return undefined
  return typeof value === 'string' ? value : JSON.stringify(value)
}

const responseMappingSchema = z.looseObject({
  id: maybe(z.string()),
  variableId: maybe(z.string()),
  bodyPath: maybe(z.string()),
})

const httpRequestOptionsSchema = z.looseObject({
  webhook: maybe(
    z.looseObject({
      url: maybe(z.string()),
      method: maybe(z.string()),
      headers: maybe(z.array(keyValueSchema)),
      queryParams: maybe(z.array(keyValueSchema)),
      body: maybe(z.string()),
    }),
  ),
  isCustomBody: maybe(z.boolean()),
  isExecutedOnClient: maybe(z.boolean()),
  responseVariableMapping: maybe(z.array(responseMappingSchema)),
  timeout: maybe(z.number()),
  proxyCredentialsId: maybe(z.string()),
})

function httpRequestBlockSchema<T extends string>(type: T) {
  // `webhookId` points at a separately stored webhook in old v5 exports; kept so an import reads back unchanged.
  return z.object({ ...blockBaseShape, type: z.literal(type), options: maybe(httpRequestOptionsSchema), webhookId: z.string().optional() })
}

export const webhookBlockSchema = httpRequestBlockSchema('Webhook')
export const zapierBlockSchema = httpRequestBlockSchema('Zapier')
export const makeComBlockSchema = httpRequestBlockSchema('Make.com')
export const pabblyBlockSchema = httpRequestBlockSchema('Pabbly')

export type HttpRequestBlock = z.infer<
  typeof webhookBlockSchema | typeof zapierBlockSchema | typeof makeComBlockSchema | typeof pabblyBlockSchema
>

export const emailBlockSchema = z.object({
  ...blockBaseShape,
  type: z.literal('Email'),
  options: maybe(
    z.looseObject({
      credentialsId: maybe(z.string()),
      isCustomBody: maybe(z.boolean()),
      isBodyCode: maybe(z.boolean()),
      recipients: maybe(z.array(z.string())),
      cc: maybe(z.array(z.string())),
      bcc: maybe(z.array(z.string())),
      replyTo: maybe(z.string()),
      subject: maybe(z.string()),
      body: maybe(z.string()),
      attachmentsVariableId: maybe(z.string()),
    }),
  ),
})
export type EmailBlock = z.infer<typeof emailBlockSchema>

export const chatwootBlockSchema = z.object({
  ...blockBaseShape,
  type: z.literal('Chatwoot'),
  options: maybe(
    z.looseObject({
      task: maybe(z.string()),
      baseUrl: maybe(z.string()),
      websiteToken: maybe(z.string()),
      user: maybe(
        z.looseObject({
          id: maybe(z.string()),
          email: maybe(z.string()),
          name: maybe(z.string()),
          avatarUrl: maybe(z.string()),
          phoneNumber: maybe(z.string()),
        }),
      ),
    }),
  ),
})
export type ChatwootBlock = z.infer<typeof chatwootBlockSchema>

export const googleAnalyticsBlockSchema = z.object({
  ...blockBaseShape,
  type: z.literal('Google Analytics'),
  options: maybe(
    z.looseObject({
      trackingId: maybe(z.string()),
      category: maybe(z.string()),
      action: maybe(z.string()),
      label: maybe(z.string()),
      value: maybe(z.union([z.string(), z.number()])),
      sendTo: maybe(z.string()),
    }),
  ),
})
export type GoogleAnalyticsBlock = z.infer<typeof googleAnalyticsBlockSchema>

export const pixelBlockSchema = z.object({
  ...blockBaseShape,
  type: z.literal('Pixel'),
  options: maybe(
    z.looseObject({
      pixelId: maybe(z.string()),
      isInitSkip: maybe(z.boolean()),
      eventType: maybe(z.string()),
      name: maybe(z.string()),
      params: maybe(z.array(z.looseObject({ id: maybe(z.string()), key: maybe(z.string()), value: z.unknown().optional() }))),
    }),
  ),
})
export type PixelBlock = z.infer<typeof pixelBlockSchema>

/** Kept so documents round-trip; Google Sheets is not run (no Google access), OpenAI is an AI block. */
export const googleSheetsBlockSchema = z.object({
  ...blockBaseShape,
  type: z.literal('Google Sheets'),
  options: maybe(z.looseObject({})),
})
export const openAiBlockSchema = z.object({
  ...blockBaseShape,
  type: z.literal('OpenAI'),
  options: maybe(z.looseObject({})),
})
export type SkippedIntegrationBlock = z.infer<typeof googleSheetsBlockSchema | typeof openAiBlockSchema>
/** The legacy v5 OpenAI block: runs as an AI block (engine/blocks/integrations/ai/). */
export type LegacyOpenAiBlock = z.infer<typeof openAiBlockSchema>

export const integrationBlockSchemas = [
  webhookBlockSchema,
  zapierBlockSchema,
  makeComBlockSchema,
  pabblyBlockSchema,
  emailBlockSchema,
  chatwootBlockSchema,
  googleAnalyticsBlockSchema,
  pixelBlockSchema,
  googleSheetsBlockSchema,
  openAiBlockSchema,
] as const satisfies readonly z.ZodObject[]
