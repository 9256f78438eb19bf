/**
 * What operator control and event webhooks add to a turn's write: webhook events, messages a
 * user sent while the session was paused, and the session's pause row. They are written in the
 * turn's own transaction and only when its session write matched, so a turn that is refused or
 * rolled back leaves no event behind, and a committed one always has its events.
 *
 * An event becomes one delivery row per matching enabled subscription, chosen in SQL: without a
 * subscription nothing is written. SQLite reads which workspaces have subscriptions once per
 * group commit and skips the others' fan-outs (measured: an empty INSERT ... SELECT per turn cost
 * continueChat a fifth of its CPU); PostgreSQL's turn statement carries them as one JSON parameter.
 */
import type BetterSqlite3 from 'better-sqlite3'
import { type Kysely, type RawBuilder, sql } from 'kysely'
import type { TurnRecords } from '../engine/types.js'
import type { Database } from './database.js'
import { replaceNul } from './replace-nul-plugin.js'

export type WebhookEventRecord = {
  id: string
  type: string
  workspaceId: string
  typebotId: string | null
  /** The JSON body every subscriber receives. */
  payload: string
  createdAt: string
}

export type UserMessageRecord = { id: string; resultId: string; sessionId: string; message: string; createdAt: string }

export type PauseRecord =
  | { kind: 'pause'; sessionId: string; typebotId: string; reason: string | null; pausedAt: string }
  | { kind: 'unpause'; sessionId: string }

export type ControlRecords = {
  events?: WebhookEventRecord[]
  userMessages?: UserMessageRecord[]
  pause?: PauseRecord
}

/** A turn's rows plus the optional control part. */
export type TurnRecordsWithControl = TurnRecords & { control?: ControlRecords }

// Subscriptions keep their lists as ",a,b,": ids and event names are [a-z0-9.], so LIKE is exact.
const typePattern = (event: WebhookEventRecord) => `%,${event.type},%`
const typebotPattern = (event: WebhookEventRecord) => (event.typebotId ? `%,${event.typebotId},%` : '')

const fanOutSqlite = `INSERT INTO webhook_deliveries (event_id, subscription_id, event_type, payload, status, attempts, next_attempt_at, created_at)
  SELECT ?, id, ?, ?, 'pending', 0, ?, ? FROM webhook_subscriptions
  WHERE workspace_id = ? AND is_enabled = 1 AND events LIKE ? AND (typebot_ids IS NULL OR typebot_ids LIKE ?)`

/** SQLite group commit: statements prepared once with the turn writer's. */
export function prepareControlStatements(database: BetterSqlite3.Database) {
  const subscribedWorkspaces = database.prepare('SELECT DISTINCT workspace_id FROM webhook_subscriptions WHERE is_enabled = 1').pluck()
  let subscribedInBatch: ReadonlySet<string> | undefined
  return {
    fanOut: database.prepare(fanOutSqlite),
    insertMessage: database.prepare(
      `INSERT INTO result_messages (id, result_id, session_id, message, answer_count, created_at)
       VALUES (?, ?, ?, ?, (SELECT count(*) FROM answers WHERE result_id = ?), ?)`,
    ),
    pause: database.prepare(
      `INSERT INTO session_pauses (session_id, typebot_id, reason, paused_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (session_id) DO UPDATE SET reason = excluded.reason, paused_at = excluded.paused_at`,
    ),
    unpause: database.prepare('DELETE FROM session_pauses WHERE session_id = ?'),
    /** Called when a group commit begins: subscriptions are read again, in its transaction. */
    startBatch() {
      subscribedInBatch = undefined
    },
    /** Workspaces with an enabled subscription, read once per group commit (on its first event). */
    isSubscribed(workspaceId: string): boolean {
      subscribedInBatch ??= new Set(subscribedWorkspaces.all().filter((id): id is string => typeof id === 'string'))
      return subscribedInBatch.has(workspaceId)
    },
  }
}

export type ControlStatements = ReturnType<typeof prepareControlStatements>

/** Runs inside the turn's savepoint, after its session write matched. */
export function writeControlRecords(statements: ControlStatements, control: ControlRecords): void {
  for (const message of control.userMessages ?? []) {
    statements.insertMessage.run(message.id, message.resultId, message.sessionId, message.message, message.resultId, message.createdAt)
  }
  const pause = control.pause
  if (pause?.kind === 'pause') statements.pause.run(pause.sessionId, pause.typebotId, pause.reason, pause.pausedAt)
  else if (pause) statements.unpause.run(pause.sessionId)
  for (const event of control.events ?? []) {
    if (!statements.isSubscribed(event.workspaceId)) continue
    statements.fanOut.run(
      event.id,
      event.type,
      event.payload,
      event.createdAt,
      event.createdAt,
      event.workspaceId,
      typePattern(event),
      typebotPattern(event),
    )
  }
}

/**
 * PostgreSQL: parts of the one prepared statement of a batch of turns (see postgres-turns.ts). Each
 * turn's control part travels as one JSON value (turns without one are left out), beside its session
 * id, and is written only when that session's write matched (the join with the session CTE `s`).
 * The statement text never changes, and binding one text per turn costs less than a dozen arrays.
 */
const controlsOfWrittenTurns = `unnest(@controlTurns::text[], @controls::jsonb[]) AS c(turn, control) JOIN s ON s.id = c.turn`
export const postgresControlParts = [
  `cm AS (INSERT INTO result_messages (id, result_id, session_id, message, answer_count, created_at)
    SELECT x.id, x.result_id, x.session_id, x.message, (SELECT count(*)::integer FROM answers WHERE answers.result_id = x.result_id), x.created_at
    FROM ${controlsOfWrittenTurns} CROSS JOIN LATERAL jsonb_to_recordset(coalesce(c.control -> 'messages', '[]'))
      AS x(id text, result_id text, session_id text, message text, created_at text))`,
  `cp AS (INSERT INTO session_pauses (session_id, typebot_id, reason, paused_at)
    SELECT x.session_id, x.typebot_id, x.reason, x.paused_at
    FROM ${controlsOfWrittenTurns} CROSS JOIN LATERAL jsonb_to_recordset(coalesce(c.control -> 'pauses', '[]'))
      AS x(session_id text, typebot_id text, reason text, paused_at text)
    ON CONFLICT (session_id) DO UPDATE SET reason = excluded.reason, paused_at = excluded.paused_at)`,
  `cu AS (DELETE FROM session_pauses WHERE session_id IN (SELECT c.control ->> 'unpause' FROM ${controlsOfWrittenTurns}))`,
  `cd AS (INSERT INTO webhook_deliveries (event_id, subscription_id, event_type, payload, status, attempts, next_attempt_at, created_at)
    SELECT x.id, w.id, x.type, x.payload, 'pending', 0, x.created_at, x.created_at
    FROM ${controlsOfWrittenTurns} CROSS JOIN LATERAL jsonb_to_recordset(coalesce(c.control -> 'events', '[]'))
      AS x(id text, type text, payload text, created_at text, workspace_id text, type_pattern text, typebot_pattern text)
    JOIN webhook_subscriptions w ON w.workspace_id = x.workspace_id AND w.is_enabled = 1 AND w.events LIKE x.type_pattern
      AND (w.typebot_ids IS NULL OR w.typebot_ids LIKE x.typebot_pattern))`,
]

/** The parameters of `postgresControlParts` for a batch of turns (NUL characters replaced, as the other turn rows). */
export function postgresControlParams(turns: { turn: string; control: ControlRecords | undefined }[]): {
  controlTurns: string[]
  controls: string[]
} {
  const withControl = turns.flatMap(({ turn, control }) => (control ? [{ turn, json: controlJson(control) }] : []))
  return { controlTurns: withControl.map(({ turn }) => turn), controls: withControl.map(({ json }) => json) }
}

function controlJson(control: ControlRecords): string {
  const pause = control.pause
  const value = {
    messages: (control.userMessages ?? []).map((message) => ({
      id: message.id,
      result_id: message.resultId,
      session_id: message.sessionId,
      message: message.message,
      created_at: message.createdAt,
    })),
    pauses:
      pause?.kind === 'pause'
        ? [{ session_id: pause.sessionId, typebot_id: pause.typebotId, reason: pause.reason, paused_at: pause.pausedAt }]
        : [],
    unpause: pause?.kind === 'unpause' ? pause.sessionId : null,
    events: (control.events ?? []).map((event) => ({
      id: event.id,
      type: event.type,
      payload: event.payload,
      created_at: event.createdAt,
      workspace_id: event.workspaceId,
      type_pattern: typePattern(event),
      typebot_pattern: typebotPattern(event),
    })),
  }
  const json = JSON.stringify(value)
  // jsonb refuses \u0000: strings with a NUL character (rare) are written again with it replaced.
  return json.includes('\\u0000')
    ? JSON.stringify(value, (_key, item: unknown) => (typeof item === 'string' ? replaceNul(item) : item))
    : json
}

/** Events written outside a turn (typebot.published), in the caller's transaction. */
export async function insertWebhookEvents(db: Kysely<Database>, events: WebhookEventRecord[]): Promise<void> {
  for (const event of events) await fanOut(event).execute(db)
}

function fanOut(event: WebhookEventRecord): RawBuilder<unknown> {
  return sql`INSERT INTO webhook_deliveries (event_id, subscription_id, event_type, payload, status, attempts, next_attempt_at, created_at)
    SELECT ${event.id}, w.id, ${event.type}, ${event.payload}, 'pending', 0, ${event.createdAt}, ${event.createdAt}
    FROM webhook_subscriptions w
    WHERE w.workspace_id = ${event.workspaceId} AND w.is_enabled = 1 AND w.events LIKE ${typePattern(event)}
      AND (w.typebot_ids IS NULL OR w.typebot_ids LIKE ${typebotPattern(event)})`
}
