import type { Kysely } from 'kysely'
import type { StoredSessionState } from '../engine/types.js'
import type { Database } from './database.js'

export type SessionStatus = 'active' | 'paused'

export type SessionSummaryRecord = {
  id: string
  typebotId: string
  state: StoredSessionState
  status: SessionStatus
  pause: { reason: string | null; pausedAt: string } | undefined
  createdAt: string
  updatedAt: string
}

export type ResultMessageRecord = {
  id: string
  resultId: string
  sessionId: string
  /** The message as the client sent it (Chat API `message` object). */
  message: unknown
  /** How many answers the result had when the message came: where it sits in a transcript. */
  answerCount: number
  createdAt: string
}

/** Reads for operators: a typebot's sessions by status, and what users wrote while paused. */
export interface SessionControlStore {
  /** Newest first; `after` is the last session of the previous page. */
  listSessions(
    typebotId: string,
    options: { status?: SessionStatus; limit: number; after?: { createdAt: string; id: string } },
  ): Promise<SessionSummaryRecord[]>
  listResultMessages(resultId: string): Promise<ResultMessageRecord[]>
}

export class KyselySessionControlStore implements SessionControlStore {
  constructor(private readonly db: Kysely<Database>) {}

  async listSessions(
    typebotId: string,
    options: { status?: SessionStatus; limit: number; after?: { createdAt: string; id: string } },
  ): Promise<SessionSummaryRecord[]> {
    let query = this.db
      .selectFrom('sessions')
      .leftJoin('session_pauses', 'session_pauses.session_id', 'sessions.id')
      .selectAll('sessions')
      .select(['session_pauses.reason', 'session_pauses.paused_at'])
      .where('sessions.typebot_id', '=', typebotId)
    if (options.status === 'paused') query = query.where('session_pauses.session_id', 'is not', null)
    if (options.status === 'active') query = query.where('session_pauses.session_id', 'is', null)
    const after = options.after
    if (after) {
      query = query.where((eb) =>
        eb.or([
          eb('sessions.created_at', '<', after.createdAt),
          eb.and([eb('sessions.created_at', '=', after.createdAt), eb('sessions.id', '<', after.id)]),
        ]),
      )
    }
    const rows = await query.orderBy('sessions.created_at', 'desc').orderBy('sessions.id', 'desc').limit(options.limit).execute()
    return rows.map((row) => ({
      id: row.id,
      typebotId: row.typebot_id,
      state: JSON.parse(row.state) as StoredSessionState,
      status: row.paused_at === null ? 'active' : 'paused',
      pause: row.paused_at === null ? undefined : { reason: row.reason, pausedAt: row.paused_at },
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    }))
  }

  async listResultMessages(resultId: string): Promise<ResultMessageRecord[]> {
    const rows = await this.db.selectFrom('result_messages').selectAll().where('result_id', '=', resultId).orderBy('seq').execute()
    return rows.map((row) => ({
      id: row.id,
      resultId: row.result_id,
      sessionId: row.session_id,
      message: JSON.parse(row.message) as unknown,
      answerCount: Number(row.answer_count),
      createdAt: row.created_at,
    }))
  }
}
