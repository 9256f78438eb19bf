import type { FastifyServerOptions } from 'fastify'
import type { Config } from '../config.js'
import { formatLogLine } from './format-log-line.js'
import { scrubSecrets } from './redact-secrets.js'

export type LogFormat = 'json' | 'pretty'

/**
 * Fields that hold secrets wherever they appear in a logged object (top level or one level
 * down): request headers, tokens, passwords, API keys, credentials. Fastify's own request lines
 * never log headers; this is the net under any future `log.info({ headers })`.
 */
const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  ...['authorization', 'cookie', 'token', 'apiKey', 'password', 'secret', 'credentials'].flatMap((field) => [field, `*.${field}`]),
  'headers.authorization',
  'headers.cookie',
]

/** JSON for machines, readable lines for a terminal: `LOG_FORMAT=auto` decides by where stdout goes. */
export function resolveLogFormat(setting: Config['logFormat'], isTerminal: boolean): LogFormat {
  if (setting === 'auto') return isTerminal ? 'pretty' : 'json'
  return setting
}

/** Fastify's `logger` options: the level, redaction, and where the lines go in which format. */
export function createLogOptions(options: {
  level: Config['logLevel']
  format: LogFormat
  write: (text: string) => void
}): NonNullable<Exclude<FastifyServerOptions['logger'], boolean>> {
  const { write, format } = options
  return {
    level: options.level,
    redact: { paths: redactedPaths, censor: '[redacted]' },
    serializers: { err: serializeError },
    stream: { write: format === 'pretty' ? (line: string) => write(formatLogLine(line)) : write },
  }
}

/** Errors with their stack, secrets scrubbed from the text (a message may quote a header or a URL). */
export function serializeError(error: unknown): { type: string; message: string; stack: string; code?: string } {
  if (!(error instanceof Error)) return { type: typeof error, message: scrubSecrets(String(error)), stack: '' }
  return {
    type: error.name,
    message: scrubSecrets(error.message),
    stack: scrubSecrets(error.stack ?? ''),
    ...('code' in error && typeof error.code === 'string' ? { code: error.code } : {}),
  }
}
