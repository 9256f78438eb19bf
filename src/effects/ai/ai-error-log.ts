/**
 * An AI failure as the error log of the block (the flow goes on): the provider's message, its
 * response body as details. A key must never reach a log: every secret of the call is masked,
 * since a provider (or a server posing as one) may echo what it was sent.
 */
import type { AiOutcome } from '../../engine/ai-call.js'

type ErrorLog = Extract<AiOutcome, { ok: false }>['log']

export function toAiErrorLog(error: unknown, secrets: string[]): ErrorLog {
  const cause = lastAttemptError(error)
  const description = cause instanceof Error ? cause.message || cause.name : String(cause)
  const details = responseBodyOf(cause)
  const mask = (text: string) => secrets.reduce((masked, secret) => (secret ? masked.split(secret).join('***') : masked), text)
  return { status: 'error', description: mask(description), ...(details ? { details: mask(details) } : {}) }
}

/** The AI SDK wraps the failures of its retries; the last one says what went wrong. */
function lastAttemptError(error: unknown): unknown {
  if (error instanceof Error && 'lastError' in error && error.lastError !== undefined) return error.lastError
  return error
}

function responseBodyOf(error: unknown): string | undefined {
  if (!(error instanceof Error) || !('responseBody' in error)) return undefined
  const body = error.responseBody
  if (body === undefined || body === null || body === '') return undefined
  return typeof body === 'string' ? body : JSON.stringify(body)
}
