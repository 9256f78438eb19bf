/**
 * The one error class the app throws for anything that is not an ordinary outcome. It knows
 * nothing about HTTP: `http/error-handler.ts` maps each code to a status and wire code.
 */
export type ErrorCode =
  | 'INVALID_REQUEST'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'SESSION_NOT_FOUND'
  | 'SESSION_EXPIRED'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'TIMEOUT'
  | 'UNAVAILABLE'
  | 'TOO_MANY_REQUESTS'
  | 'INTERNAL'

export type ErrorIssue = { message: string; path?: (string | number)[] }

export class AppError extends Error {
  override readonly name = 'AppError'
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: ErrorIssue[],
  ) {
    super(message)
  }
}
