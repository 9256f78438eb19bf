/**
 * Errors that say the database cannot be reached or cannot take the query now, as opposed to a
 * query that is wrong: the HTTP layer answers them 503 (try again, or try another machine) rather
 * than 500, and nothing was written, since a statement that never reached the database or whose
 * connection died before its commit is rolled back.
 */

// Connection-level errors of Node's sockets and DNS, when PostgreSQL's host does not answer.
const socketCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN'])

// PostgreSQL SQLSTATEs: shutting down or restarting, not accepting connections yet, out of connections.
const postgresCodes = new Set(['57P01', '57P02', '57P03', '53300'])

// node-postgres reports a connection that ended or never came within the pool's time with these messages, and no code.
const postgresClientMessages = /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect)/

export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string') {
    // Class 08 is PostgreSQL's "connection exception"; SQLITE_BUSY is a write lock still held by another process after busy_timeout.
    return socketCodes.has(code) || postgresCodes.has(code) || code.startsWith('08') || code === 'SQLITE_BUSY'
  }
  return postgresClientMessages.test(error.message)
}
