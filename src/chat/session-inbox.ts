import { AppError } from '../errors.js'
import type { SessionStatus, SessionSummaryRecord, UserRecord } from '../storage/store.js'
import { type ChatContext, findTypebotOfUser, isExpired } from './chat-context.js'

export type SessionListQuery = { status?: SessionStatus; limit: number; cursor?: string }

/**
 * `GET /v1/typebots/{typebotId}/sessions`: an operator's inbox, newest first. The cursor names the
 * last session of a page by its creation time and id, so sessions that end between two pages do
 * not break the paging.
 */
export async function listSessionsOfTypebot(context: ChatContext, user: UserRecord, typebotId: string, query: SessionListQuery) {
  const typebot = await findTypebotOfUser(context, user, typebotId, 'read')
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor)
  const rows = await context.store.control.listSessions(typebot.id, { status: query.status, limit: query.limit + 1, after })
  const page = rows.slice(0, query.limit)
  const last = page.at(-1)
  const now = context.env.now()
  return {
    sessions: page.filter((row) => !isExpired(row, now)).map(toSessionSummary),
    ...(rows.length > query.limit && last ? { nextCursor: encodeCursor(last) } : {}),
  }
}

function toSessionSummary(row: SessionSummaryRecord) {
  const root = row.state.typebotsQueue.at(-1)
  return {
    id: row.id,
    status: row.status,
    isPreview: row.state.isPreview,
    ...(root?.resultId ? { resultId: root.resultId } : {}),
    ...(row.state.currentBlockId ? { currentBlockId: row.state.currentBlockId } : {}),
    ...(row.pause ? { pausedAt: row.pause.pausedAt, ...(row.pause.reason !== null ? { pauseReason: row.pause.reason } : {}) } : {}),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  }
}

function encodeCursor(row: Pick<SessionSummaryRecord, 'createdAt' | 'id'>): string {
  return Buffer.from(JSON.stringify([row.createdAt, row.id])).toString('base64url')
}

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (Array.isArray(decoded) && typeof decoded[0] === 'string' && typeof decoded[1] === 'string') {
      return { createdAt: decoded[0], id: decoded[1] }
    }
  } catch {
    // reported below
  }
  throw new AppError('INVALID_REQUEST', 'Invalid cursor', [{ message: 'Not a cursor this endpoint returned', path: ['cursor'] }])
}
