/**
 * What operator control and event webhooks add to a turn's write: webhook events, messages a
 * user sent while the session was paused, and the session's pause row. They are written in the
 * turn's own transaction and only when its session write matched, so a turn that is refused or
 * rolled back leaves no event behind, and a committed one always has its events.
 *
 * An event becomes one delivery row per matching enabled subscription, chosen in SQL: without a
 * subscription nothing is written. SQLite reads which workspaces have subscriptions once per
 * group commit and skips the others' fan-outs (measured: an empty INSERT ... SELECT per turn cost
 * continueChat a fifth of its CPU); PostgreSQL's turn statement carries the events as arrays.
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
 * PostgreSQL: parts of the one prepared turn statement (see postgres-turns.ts), each selecting
 * from the session CTE `s`, so they are written only when the session write matched. Empty
 * arrays when a turn has no control part: the statement text never changes.
 */
export const postgresControlParts = [
  `cm AS (INSERT INTO result_messages (id, result_id, session_id, message, answer_count, created_at)
    SELECT x.id, x.result_id, x.session_id, x.message, (SELECT count(*)::integer FROM answers WHERE answers.result_id = x.result_id), x.created_at
    FROM unnest(@messageIds::text[], @messageResultIds::text[], @messageSessionIds::text[], @messageBodies::text[], @messageCreatedAts::text[])
      WITH ORDINALITY AS x(id, result_id, session_id, message, created_at, ord) CROSS JOIN s ORDER BY x.ord)`,
  `cp AS (INSERT INTO session_pauses (session_id, typebot_id, reason, paused_at)
    SELECT x.session_id, x.typebot_id, x.reason, x.paused_at
    FROM unnest(@pauseSessionIds::text[], @pauseTypebotIds::text[], @pauseReasons::text[], @pausedAts::text[])
      AS x(session_id, typebot_id, reason, paused_at) CROSS JOIN s
    ON CONFLICT (session_id) DO UPDATE SET reason = excluded.reason, paused_at = excluded.paused_at)`,
  `cu AS (DELETE FROM session_pauses WHERE session_id = ANY(@unpauseSessionIds::text[]) AND EXISTS (SELECT 1 FROM s))`,
  `cd AS (INSERT INTO webhook_deliveries (event_id, subscription_id, event_type, payload, status, attempts, next_attempt_at, created_at)
    SELECT x.id, w.id, x.type, x.payload, 'pending', 0, x.created_at, x.created_at
    FROM unnest(@eventIds::text[], @eventTypes::text[], @eventPayloads::text[], @eventCreatedAts::text[], @eventWorkspaceIds::text[],
      @eventTypePatterns::text[], @eventTypebotPatterns::text[]) AS x(id, type, payload, created_at, workspace_id, type_pattern, typebot_pattern)
    JOIN webhook_subscriptions w ON w.workspace_id = x.workspace_id AND w.is_enabled = 1 AND w.events LIKE x.type_pattern
      AND (w.typebot_ids IS NULL OR w.typebot_ids LIKE x.typebot_pattern)
    CROSS JOIN s)`,
]

/** The parameters of `postgresControlParts` (NUL characters replaced, as the other turn rows). */
export function postgresControlParams(control: ControlRecords | undefined): Record<string, unknown> {
  const messages = control?.userMessages ?? []
  const events = control?.events ?? []
  const pause = control?.pause
  const paused = pause?.kind === 'pause' ? [pause] : []
  return {
    messageIds: messages.map((message) => message.id),
    messageResultIds: messages.map((message) => replaceNul(message.resultId)),
    messageSessionIds: messages.map((message) => replaceNul(message.sessionId)),
    messageBodies: messages.map((message) => replaceNul(message.message)),
    messageCreatedAts: messages.map((message) => message.createdAt),
    pauseSessionIds: paused.map((record) => replaceNul(record.sessionId)),
    pauseTypebotIds: paused.map((record) => replaceNul(record.typebotId)),
    pauseReasons: paused.map((record) => (record.reason === null ? null : replaceNul(record.reason))),
    pausedAts: paused.map((record) => record.pausedAt),
    unpauseSessionIds: pause?.kind === 'unpause' ? [replaceNul(pause.sessionId)] : [],
    eventIds: events.map((event) => event.id),
    eventTypes: events.map((event) => event.type),
    eventPayloads: events.map((event) => replaceNul(event.payload)),
    eventCreatedAts: events.map((event) => event.createdAt),
    eventWorkspaceIds: events.map((event) => event.workspaceId),
    eventTypePatterns: events.map(typePattern),
    eventTypebotPatterns: events.map(typebotPattern),
  }
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
