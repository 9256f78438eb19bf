/**
 * The registry of credential types: each type is the zod schema of its secret `data`. A new type
 * (SMTP, Stripe...) is one more entry here; the API, the CLI and the resolution pick it up.
 */
import { z } from 'zod'
import { AppError } from '../errors.js'

const httpUrlSchema = z
  .string()
  .trim()
  .refine((value) => /^https?:\/\/[^\s]+$/i.test(value) && URL.canParse(value), { message: 'must be an http:// or https:// URL' })

/**
 * Every AI provider takes an API key. `baseUrl` replaces the provider's address (a proxy, a gateway,
 * an OpenAI-compatible server); Typebot offers it for some providers only, botflow for all.
 */
const aiProviderKeySchema = z.strictObject({
  apiKey: z.string().trim().min(1, { message: 'is required' }),
  baseUrl: httpUrlSchema.optional(),
})

const requiredText = z.string().trim().min(1, { message: 'is required' })

/** Typebot's shape; host, port and the sender address are required here: botflow must connect and send. */
const smtpSchema = z.strictObject({
  host: requiredText,
  port: z.number().int().min(1).max(65_535),
  username: z.string().optional(),
  password: z.string().optional(),
  isTlsEnabled: z.boolean().optional(),
  from: z.strictObject({ email: z.email(), name: z.string().optional() }),
})

/** Typebot's shape: live keys, and test keys that preview sessions use when present. */
const stripeSchema = z.strictObject({
  live: z.strictObject({ secretKey: requiredText, publicKey: requiredText }),
  test: z.strictObject({ secretKey: z.string().optional(), publicKey: z.string().optional() }).optional(),
})

const schemasByType = {
  openai: aiProviderKeySchema,
  'open-router': aiProviderKeySchema,
  'together-ai': aiProviderKeySchema,
  mistral: aiProviderKeySchema,
  groq: aiProviderKeySchema,
  perplexity: aiProviderKeySchema,
  deepseek: aiProviderKeySchema,
  anthropic: aiProviderKeySchema,
  smtp: smtpSchema,
  stripe: stripeSchema,
} satisfies Record<string, z.ZodType<Record<string, unknown>>>

export type CredentialType = keyof typeof schemasByType

export type CredentialsData<T extends CredentialType> = z.infer<(typeof schemasByType)[T]>

/** Each type's schema, typed per type so that `credentialTypes[type]` parses to `CredentialsData<type>`. */
export const credentialTypes: { [T in CredentialType]: z.ZodType<CredentialsData<T>> } = schemasByType

export const credentialTypeNames = Object.keys(credentialTypes) as [CredentialType, ...CredentialType[]]

export function isCredentialType(type: string): type is CredentialType {
  return Object.hasOwn(credentialTypes, type)
}

/** Validates `data` for its type; the issues name fields, never the values given. */
export function parseCredentialsData<T extends CredentialType>(type: T, data: unknown): CredentialsData<T> {
  const result = credentialTypes[type].safeParse(data)
  if (result.success) return result.data
  const issues = result.error.issues.map((issue) => ({ message: issue.message, path: ['data', ...issue.path.map(toPathSegment)] }))
  throw new AppError('INVALID_REQUEST', `Invalid data for ${type} credentials`, issues)
}

function toPathSegment(segment: PropertyKey): string | number {
  return typeof segment === 'number' ? segment : String(segment)
}
