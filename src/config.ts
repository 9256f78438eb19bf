import { z } from 'zod'

const databaseUrlSchema = z.string().refine((url) => /^(postgres|postgresql):\/\//.test(url) || url.startsWith('file:'), {
  message: 'must be a postgres:// or postgresql:// URL, or file:/path/to.sqlite',
})

/** A number of processes, or `auto`: one per CPU core. Shared with `serve --workers`. */
export const workersSchema = z.union([z.literal('auto'), z.coerce.number().int().min(1).max(256)])

const booleanString = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1')
const onOffString = z.enum(['on', 'off', 'true', 'false', '1', '0']).transform((value) => ['on', 'true', '1'].includes(value))
const positiveInt = z.coerce.number().int().positive()

/** The named rate limits, in requests per minute (see `http/rate-limit-hooks.ts` for what each counts). */
export const rateLimitNames = ['newSessionsPerIp', 'repliesPerIp', 'repliesPerSession', 'clientLogsPerIp', 'uploadsPerIp'] as const
export type RateLimitName = (typeof rateLimitNames)[number]

/**
 * Fastify's `trustProxy`: false, true (every hop), or the proxies' addresses / CIDRs. No hop count:
 * Fastify dropped it, as it cannot tell a proxy from a client that connects directly.
 */
export type TrustProxy = boolean | string[]

const proxyAddressSchema = z.union([z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6(), z.enum(['loopback', 'linklocal', 'uniquelocal'])])
const trustProxySchema = z.string().transform((value, context): TrustProxy => {
  if (value === 'false') return false
  if (value === 'true') return true
  const addresses = value.split(',').map((part) => part.trim())
  if (addresses.every((address) => proxyAddressSchema.safeParse(address).success)) return addresses
  context.addIssue({ code: 'custom', message: 'must be true, false, or a comma-separated list of proxy addresses or CIDRs' })
  return z.NEVER
})

/** Every environment variable botflow reads (the README's configuration table lists each one). */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: databaseUrlSchema.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  BODY_LIMIT: z.coerce
    .number()
    .int()
    .positive()
    .default(10 * 1024 * 1024),
  ALLOW_PRIVATE_HTTP_TARGETS: booleanString.default(false),
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  SANDBOX_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  SANDBOX_MEMORY_MB: z.coerce.number().int().min(16).default(64),
  SANDBOX_WORKERS: z.coerce.number().int().min(1).max(64).default(2),
  TURN_TIMEOUT_MS: z.coerce.number().int().positive().default(20_000),
  TURN_OUTPUT_MB: z.coerce.number().int().positive().default(32),
  PUBLIC_URL: z
    .string()
    .url()
    .refine((url) => isBareOrigin(url), {
      message: 'must be an http(s) origin such as https://chat.example.com (botflow serves at the root path)',
    })
    .transform((url) => new URL(url).origin)
    .optional(),
  SESSION_TTL_HOURS: z.coerce.number().positive().optional(),
  BOTFLOW_DEMO: booleanString.default(true),
  UPLOADS_DIR: z.string().min(1).default('./data/uploads'),
  UPLOAD_MAX_SIZE_MB: z.coerce.number().positive().max(2047).default(100),
  S3_ENDPOINT: z.string().url().optional(),
  S3_BUCKET: z.string().min(1).optional(),
  S3_ACCESS_KEY: z.string().min(1).optional(),
  S3_SECRET_KEY: z.string().min(1).optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  SMTP_HOST: z.string().min(1).optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65_535).default(25),
  SMTP_USERNAME: z.string().min(1).optional(),
  SMTP_PASSWORD: z.string().min(1).optional(),
  SMTP_SECURE: booleanString.default(false),
  SMTP_FROM: z.string().min(1).optional(),
  STRIPE_API_BASE: z.string().url().optional(),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().positive().default(30_000),
  WEBHOOK_RETRY_HOURS: z.coerce.number().positive().default(72),
  ENCRYPTION_SECRET: z
    .string()
    .min(32, { message: 'must be at least 32 characters long (for example the output of `openssl rand -base64 32`)' })
    .optional(),
  WORKERS: workersSchema.default(1),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(1_000).optional(),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  RESULTS_RETENTION_DAYS: z.coerce.number().positive().optional(),
  WEBHOOK_DELIVERY_RETENTION_DAYS: z.coerce.number().positive().default(30),
  CHAT_BODY_LIMIT: positiveInt.default(1024 * 1024),
  REQUEST_TIMEOUT_MS: positiveInt.default(60_000),
  KEEP_ALIVE_TIMEOUT_MS: positiveInt.default(72_000),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().nonnegative().default(10_000),
  TRUST_PROXY: trustProxySchema.default(false),
  RATE_LIMIT: onOffString.default(true),
  RATE_LIMIT_SYNC_MS: positiveInt.default(1_000),
  RATE_LIMIT_NEW_SESSIONS_PER_IP: positiveInt.default(120),
  RATE_LIMIT_REPLIES_PER_IP: positiveInt.default(1_200),
  RATE_LIMIT_REPLIES_PER_SESSION: positiveInt.default(60),
  RATE_LIMIT_CLIENT_LOGS_PER_IP: positiveInt.default(60),
  RATE_LIMIT_UPLOADS_PER_IP: positiveInt.default(30),
})

export type DatabaseConfig =
  | { kind: 'sqlite'; filename: string }
  /** `poolSize`: DATABASE_POOL_SIZE, connections per process; unset: shared out among the workers. */
  | { kind: 'postgres'; connectionString: string; poolSize?: number }

export type Config = Readonly<{
  port: number
  host: string
  database: DatabaseConfig
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL']
  /** `auto`: readable lines when stdout is a terminal, JSON lines otherwise. */
  logFormat: z.infer<typeof envSchema>['LOG_FORMAT']
  bodyLimit: number
  effects: Readonly<{
    allowPrivateHttpTargets: boolean
    httpTimeoutMs: number
    sandboxTimeoutMs: number
    sandboxMemoryBytes: number
    sandboxWorkers: number
  }>
  /** What one turn may spend: flow time (engine work and sandbox calls) and output characters. */
  turnLimits: Readonly<{ timeMs: number; outputChars: number }>
  /** The origin users reach botflow at (behind a proxy); absolute URLs are built from it. */
  publicUrl?: string
  /** Idle hours after which a chat session expires; undefined = never, as Typebot's web sessions. */
  sessionTtlHours?: number
  isDemoEnabled: boolean
  uploads: Readonly<{
    /** Where files live when no S3 bucket is configured. */
    directory: string
    /** Ceiling of any file input's size limit. */
    maxFileSizeMb: number
    s3?: Readonly<{ endpoint: string; bucket: string; accessKey: string; secretKey: string; region: string }>
  }>
  /** The server's own sender (SMTP_*), used by Email blocks without credentials of their own. */
  smtp?: Readonly<{ host: string; port: number; secure: boolean; username?: string; password?: string; from: string }>
  /** Tests point the Stripe library at a fake server (`http://127.0.0.1:1234`). */
  stripeApiBase?: string
  /** Event webhook deliveries: one attempt's timeout, the first retry delay (doubling, at most an hour), when to give up. */
  webhooks: Readonly<{ timeoutMs: number; retryBaseMs: number; retryForMs: number }>
  /** Seals credentials at rest; unset with SQLite: a key file next to the database (src/credentials/encryption-key.ts). */
  encryptionSecret?: string
  /** Processes of `botflow serve` (`auto`: one per CPU core); `--workers` overrides it. */
  workers: number | 'auto'
  /** Bearer token of GET /api/metrics; undefined: metrics are off. */
  metricsToken?: string
  /** Days after which results (with their answers, logs and files) are deleted; undefined: kept. */
  resultsRetentionDays?: number
  /** Days after which finished webhook deliveries (delivered or failed for good) are deleted. */
  webhookDeliveryRetentionDays: number
  /** Bounds at the HTTP edge (docs/security.md lists them all). */
  http: Readonly<{
    /** Largest body of the chat routes; `bodyLimit` stays for the management API (imports). */
    chatBodyLimit: number
    /** Headers and body of a request must arrive within it. */
    requestTimeoutMs: number
    keepAliveTimeoutMs: number
    /** After it, `close()` cuts the connections still open. */
    shutdownTimeoutMs: number
    trustProxy: TrustProxy
  }>
  rateLimit: Readonly<{
    isEnabled: boolean
    /** How often each process adds its counts to the shared ones and reads which keys are exhausted. */
    syncIntervalMs: number
    perMinute: Readonly<Record<RateLimitName, number>>
  }>
}>

/** The names of every setting, for the test that holds the README's table to them. */
export const environmentKeys: readonly string[] = Object.keys(envSchema.shape)

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
  const problems = [...findS3Problems(values), ...findSmtpProblems(values)]
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n${problems.map((problem) => `  ${problem}`).join('\n')}`)
  return Object.freeze({
    port: values.PORT,
    host: values.HOST,
    database: toDatabaseConfig(values.DATABASE_URL, values.DATABASE_POOL_SIZE),
    logLevel: values.LOG_LEVEL,
    logFormat: values.LOG_FORMAT,
    bodyLimit: values.BODY_LIMIT,
    effects: Object.freeze({
      allowPrivateHttpTargets: values.ALLOW_PRIVATE_HTTP_TARGETS,
      httpTimeoutMs: values.HTTP_REQUEST_TIMEOUT_MS,
      sandboxTimeoutMs: values.SANDBOX_TIMEOUT_MS,
      sandboxMemoryBytes: values.SANDBOX_MEMORY_MB * 1024 * 1024,
      sandboxWorkers: values.SANDBOX_WORKERS,
    }),
    turnLimits: Object.freeze({ timeMs: values.TURN_TIMEOUT_MS, outputChars: values.TURN_OUTPUT_MB * 1024 * 1024 }),
    publicUrl: values.PUBLIC_URL,
    sessionTtlHours: values.SESSION_TTL_HOURS,
    isDemoEnabled: values.BOTFLOW_DEMO,
    uploads: Object.freeze({ directory: values.UPLOADS_DIR, maxFileSizeMb: values.UPLOAD_MAX_SIZE_MB, ...toS3Config(values) }),
    ...toSmtpConfig(values),
    ...(values.STRIPE_API_BASE ? { stripeApiBase: values.STRIPE_API_BASE } : {}),
    webhooks: Object.freeze({
      timeoutMs: values.WEBHOOK_TIMEOUT_MS,
      retryBaseMs: values.WEBHOOK_RETRY_BASE_MS,
      retryForMs: values.WEBHOOK_RETRY_HOURS * 3_600_000,
    }),
    encryptionSecret: values.ENCRYPTION_SECRET,
    workers: values.WORKERS,
    metricsToken: values.METRICS_TOKEN,
    resultsRetentionDays: values.RESULTS_RETENTION_DAYS,
    webhookDeliveryRetentionDays: values.WEBHOOK_DELIVERY_RETENTION_DAYS,
    http: Object.freeze({
      chatBodyLimit: values.CHAT_BODY_LIMIT,
      requestTimeoutMs: values.REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: values.KEEP_ALIVE_TIMEOUT_MS,
      shutdownTimeoutMs: values.SHUTDOWN_TIMEOUT_MS,
      trustProxy: values.TRUST_PROXY,
    }),
    rateLimit: Object.freeze({
      isEnabled: values.RATE_LIMIT,
      syncIntervalMs: values.RATE_LIMIT_SYNC_MS,
      perMinute: Object.freeze({
        newSessionsPerIp: values.RATE_LIMIT_NEW_SESSIONS_PER_IP,
        repliesPerIp: values.RATE_LIMIT_REPLIES_PER_IP,
        repliesPerSession: values.RATE_LIMIT_REPLIES_PER_SESSION,
        clientLogsPerIp: values.RATE_LIMIT_CLIENT_LOGS_PER_IP,
        uploadsPerIp: values.RATE_LIMIT_UPLOADS_PER_IP,
      }),
    }),
  })
}

type EnvValues = z.infer<typeof envSchema>
const s3Names = ['S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY', 'S3_SECRET_KEY'] as const

/** S3 is all or nothing: a half-configured bucket would fail at the first upload. */
function findS3Problems(values: EnvValues): string[] {
  const missing = s3Names.filter((name) => !values[name])
  return missing.length > 0 && missing.length < s3Names.length ? [`${missing.join(', ')}: required when another S3_ setting is set`] : []
}

function toS3Config(values: EnvValues): { s3?: NonNullable<Config['uploads']['s3']> } {
  const { S3_ENDPOINT: endpoint, S3_BUCKET: bucket, S3_ACCESS_KEY: accessKey, S3_SECRET_KEY: secretKey } = values
  if (!endpoint || !bucket || !accessKey || !secretKey) return {}
  return { s3: Object.freeze({ endpoint, bucket, accessKey, secretKey, region: values.S3_REGION }) }
}

function findSmtpProblems(values: EnvValues): string[] {
  return values.SMTP_HOST && !values.SMTP_FROM ? ['SMTP_FROM: required when SMTP_HOST is set (the sender address)'] : []
}

function toSmtpConfig(values: EnvValues): { smtp?: NonNullable<Config['smtp']> } {
  if (!values.SMTP_HOST || !values.SMTP_FROM) return {}
  return {
    smtp: Object.freeze({
      host: values.SMTP_HOST,
      port: values.SMTP_PORT,
      secure: values.SMTP_SECURE,
      from: values.SMTP_FROM,
      ...(values.SMTP_USERNAME ? { username: values.SMTP_USERNAME } : {}),
      ...(values.SMTP_PASSWORD ? { password: values.SMTP_PASSWORD } : {}),
    }),
  }
}

function toDatabaseConfig(url: string | undefined, poolSize: number | undefined): DatabaseConfig {
  if (!url) return { kind: 'sqlite', filename: './data/botflow.sqlite' }
  if (url.startsWith('file:')) return { kind: 'sqlite', filename: url.slice('file:'.length) }
  return poolSize === undefined ? { kind: 'postgres', connectionString: url } : { kind: 'postgres', connectionString: url, poolSize }
}

function isBareOrigin(url: string): boolean {
  if (!URL.canParse(url)) return false
  const parsed = new URL(url)
  return ['http:', 'https:'].includes(parsed.protocol) && parsed.pathname === '/' && !parsed.search && !parsed.hash && !parsed.username
}
