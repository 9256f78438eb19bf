import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod'
import { AppError, type ErrorCode, type ErrorIssue } from '../errors.js'
import { isDatabaseUnavailable } from '../storage/store.js'

/** The only translation from domain errors to HTTP. The compiler wants an entry for every code. */
export const errorStatusTable: Record<ErrorCode, { status: number; wireCode: string }> = {
  INVALID_REQUEST: { status: 400, wireCode: 'BAD_REQUEST' },
  UNAUTHENTICATED: { status: 401, wireCode: 'UNAUTHORIZED' },
  FORBIDDEN: { status: 403, wireCode: 'FORBIDDEN' },
  NOT_FOUND: { status: 404, wireCode: 'NOT_FOUND' },
  SESSION_NOT_FOUND: { status: 404, wireCode: 'NOT_FOUND' },
  // An expired session answers with the NOT_FOUND code clients already treat as "start again".
  SESSION_EXPIRED: { status: 404, wireCode: 'NOT_FOUND' },
  CONFLICT: { status: 409, wireCode: 'CONFLICT' },
  PAYLOAD_TOO_LARGE: { status: 413, wireCode: 'PAYLOAD_TOO_LARGE' },
  TIMEOUT: { status: 408, wireCode: 'TIMEOUT' },
  UNAVAILABLE: { status: 503, wireCode: 'SERVICE_UNAVAILABLE' },
  TOO_MANY_REQUESTS: { status: 429, wireCode: 'TOO_MANY_REQUESTS' },
  INTERNAL: { status: 500, wireCode: 'INTERNAL_SERVER_ERROR' },
}

export type ErrorBody = { message: string; code: string; issues?: ErrorIssue[] }

/** Fastify's own errors that are the client's fault, by their FST_ code. */
const fastifyClientErrors: Record<string, { code: ErrorCode; message?: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'INVALID_REQUEST', message: 'Malformed JSON in request body' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'INVALID_REQUEST' },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'PAYLOAD_TOO_LARGE', message: 'Request body is too large' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'INVALID_REQUEST' },
}

/** `logAs`: the error is the server's, not the client's, and is logged with this message. */
export type ErrorResponse = { status: number; body: ErrorBody; logAs?: string }

export function toErrorResponse(error: unknown): ErrorResponse {
  if (error instanceof AppError) {
    const entry = errorStatusTable[error.code]
    return {
      status: entry.status,
      body: withIssues({ message: error.message, code: entry.wireCode }, error.issues),
      ...(error.code === 'INTERNAL' ? { logAs: 'unexpected error' } : {}),
    }
  }
  if (isFastifyError(error) && hasZodFastifySchemaValidationErrors(error)) {
    const issues = error.validation.map((issue) => ({
      message: issue.message ?? 'Invalid value',
      path: toPath(issue.instancePath),
    }))
    return { status: 400, body: { message: 'Input validation failed', code: 'BAD_REQUEST', issues } }
  }
  if (isFastifyError(error) && isResponseSerializationError(error)) {
    return internal()
  }
  if (isFastifyError(error)) {
    const known = fastifyClientErrors[error.code]
    if (known) {
      const entry = errorStatusTable[known.code]
      return { status: entry.status, body: { message: known.message ?? error.message, code: entry.wireCode } }
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return { status: error.statusCode, body: { message: error.message, code: wireCodeForStatus(error.statusCode) } }
    }
  }
  if (isDatabaseUnavailable(error)) {
    // Logged (operators must hear of it), answered as "try again": a load balancer may retry
    // elsewhere, and a client knows its request did not land.
    const entry = errorStatusTable.UNAVAILABLE
    return {
      status: entry.status,
      body: { message: 'The database is unavailable; try again shortly', code: entry.wireCode },
      logAs: 'database unavailable',
    }
  }
  return internal()
}

/** Fastify's error handler: applies the table; the server's own errors are logged, never echoed. */
export function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const { status, body, logAs } = toErrorResponse(error)
  if (logAs) request.log.error({ err: error }, logAs)
  return reply.code(status).type('application/json').send(body)
}

/**
 * Errors Node raises before a request reaches Fastify (a request not received within
 * REQUEST_TIMEOUT_MS, headers too large, unparsable HTTP): answered with our envelope, then the
 * connection is closed. A connection reset has no one left to answer.
 */
export function handleClientError(error: Error & { code?: string }, socket: Socket) {
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  const status = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400
  const message =
    status === 408
      ? 'Request timeout: the request was not received in time'
      : status === 431
        ? 'Request headers are too large'
        : 'Bad request'
  const body = JSON.stringify({ message, code: wireCodeForStatus(status) })
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    )
  }
  socket.destroy(error)
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply) {
  return reply.code(404).send({ message: `Route ${request.method} ${request.url.split('?')[0]} not found`, code: 'NOT_FOUND' })
}

function internal(): ErrorResponse {
  return { status: 500, body: { message: 'Internal server error', code: 'INTERNAL_SERVER_ERROR' }, logAs: 'unexpected error' }
}

function withIssues(body: ErrorBody, issues: ErrorIssue[] | undefined): ErrorBody {
  return issues && issues.length > 0 ? { ...body, issues } : body
}

function toPath(instancePath: string | undefined): (string | number)[] {
  if (!instancePath) return []
  return instancePath
    .split('/')
    .filter(Boolean)
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment))
}

function wireCodeForStatus(status: number): string {
  const byStatus: Record<number, string> = {
    400: 'BAD_REQUEST',
    401: 'UNAUTHORIZED',
    403: 'FORBIDDEN',
    404: 'NOT_FOUND',
    405: 'METHOD_NOT_SUPPORTED',
    408: 'TIMEOUT',
    409: 'CONFLICT',
    413: 'PAYLOAD_TOO_LARGE',
    415: 'UNSUPPORTED_MEDIA_TYPE',
    429: 'TOO_MANY_REQUESTS',
    431: 'REQUEST_HEADER_FIELDS_TOO_LARGE',
  }
  return byStatus[status] ?? 'BAD_REQUEST'
}

function isFastifyError(error: unknown): error is FastifyError {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string'
}
