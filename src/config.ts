import { z } from 'zod'

const databaseUrlSchema = z.string().refine((url) => /^(postgres|postgresql):\/\//.test(url) || url.startsWith('file:'), {
  message: 'must be a postgres:// or postgresql:// URL, or file:/path/to.sqlite',
})

const booleanString = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1')

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: databaseUrlSchema.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT: z.coerce
    .number()
    .int()
    .positive()
    .default(10 * 1024 * 1024),
  ALLOW_PRIVATE_HTTP_TARGETS: booleanString.default(false),
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  SANDBOX_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  SANDBOX_MEMORY_MB: z.coerce.number().int().positive().default(32),
  PUBLIC_URL: z.string().url().optional(),
  SESSION_TTL_HOURS: z.coerce.number().positive().optional(),
  BOTFLOW_DEMO: booleanString.default(true),
  ENCRYPTION_SECRET: z
    .string()
    .min(32, { message: 'must be at least 32 characters long (for example the output of `openssl rand -base64 32`)' })
    .optional(),
})

export type DatabaseConfig = { kind: 'sqlite'; filename: string } | { kind: 'postgres'; connectionString: string }

export type Config = Readonly<{
  port: number
  host: string
  database: DatabaseConfig
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL']
  bodyLimit: number
  effects: Readonly<{
    allowPrivateHttpTargets: boolean
    httpTimeoutMs: number
    sandboxTimeoutMs: number
    sandboxMemoryBytes: number
  }>
  publicUrl?: string
  /** Idle hours after which a chat session expires; undefined = never, as Typebot's web sessions. */
  sessionTtlHours?: number
  isDemoEnabled: boolean
  /** Seals credentials at rest; unset with SQLite: a key file next to the database (src/credentials/encryption-key.ts). */
  encryptionSecret?: string
}>

export class ConfigError extends Error {
  override readonly name = 'ConfigError'
}

/** Reads the environment once, listing every problem at once; the only reader of process.env. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''))
  const parsed = envSchema.safeParse(cleaned)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`)
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`)
  }
  const values = parsed.data
  return Object.freeze({
    port: values.PORT,
    host: values.HOST,
    database: toDatabaseConfig(values.DATABASE_URL),
    logLevel: values.LOG_LEVEL,
    bodyLimit: values.BODY_LIMIT,
    effects: Object.freeze({
      allowPrivateHttpTargets: values.ALLOW_PRIVATE_HTTP_TARGETS,
      httpTimeoutMs: values.HTTP_REQUEST_TIMEOUT_MS,
      sandboxTimeoutMs: values.SANDBOX_TIMEOUT_MS,
      sandboxMemoryBytes: values.SANDBOX_MEMORY_MB * 1024 * 1024,
    }),
    publicUrl: values.PUBLIC_URL,
    sessionTtlHours: values.SESSION_TTL_HOURS,
    isDemoEnabled: values.BOTFLOW_DEMO,
    encryptionSecret: values.ENCRYPTION_SECRET,
  })
}

function toDatabaseConfig(url: string | undefined): DatabaseConfig {
  if (!url) return { kind: 'sqlite', filename: './data/botflow.sqlite' }
  if (url.startsWith('file:')) return { kind: 'sqlite', filename: url.slice('file:'.length) }
  return { kind: 'postgres', connectionString: url }
}
