import type { StoredSessionState } from '../engine/types.js'
import type { Database } from './database.js'
import type {
  AnswerRecord,
  ApiTokenRecord,
  LogRecord,
  ResultRecord,
  SessionRecord,
  TypebotHeader,
  TypebotRecord,
  TypebotVersionRecord,
  UserRecord,
  WorkspaceRecord,
} from './store.js'

/** Rows -> records: the only place that knows column names and the 0/1 booleans. */
export function toUser(row: Database['users']): UserRecord {
  return { id: row.id, email: row.email, name: row.name, createdAt: row.created_at }
}

export function toApiToken(row: Omit<Database['api_tokens'], 'token_hash'>): ApiTokenRecord {
  return { id: row.id, userId: row.user_id, name: row.name, createdAt: row.created_at, lastUsedAt: row.last_used_at }
}

export function toWorkspace(row: Database['workspaces']): WorkspaceRecord {
  return { id: row.id, name: row.name, icon: row.icon, plan: row.plan, createdAt: row.created_at }
}

export const typebotHeaderColumns = [
  'id',
  'workspace_id',
  'public_id',
  'name',
  'published_version_id',
  'is_archived',
  'is_closed',
  'created_at',
  'updated_at',
] as const

export function toTypebot(row: Database['typebots']): TypebotRecord {
  return { ...toTypebotHeader(row), draft: JSON.parse(row.draft) as Record<string, unknown> }
}

export function toTypebotHeader(row: Omit<Database['typebots'], 'draft'>): TypebotHeader {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    publicId: row.public_id,
    name: row.name,
    publishedVersionId: row.published_version_id,
    isArchived: row.is_archived === 1,
    isClosed: row.is_closed === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

export function toVersion(row: Database['typebot_versions']): TypebotVersionRecord {
  return {
    id: row.id,
    typebotId: row.typebot_id,
    kind: row.kind === 'draft' ? 'draft' : 'published',
    content: JSON.parse(row.content) as Record<string, unknown>,
    createdAt: row.created_at,
  }
}

/** The columns a session record needs (a lease statement returns no more). */
export type SessionRow = Pick<Database['sessions'], 'id' | 'typebot_id' | 'state' | 'row_version' | 'created_at' | 'updated_at'>

export function toSession(row: SessionRow): SessionRecord {
  return {
    id: row.id,
    typebotId: row.typebot_id,
    state: JSON.parse(row.state) as StoredSessionState,
    rowVersion: Number(row.row_version),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

export function toResult(row: Database['results']): ResultRecord {
  return {
    id: row.id,
    typebotId: row.typebot_id,
    variables: JSON.parse(row.variables) as unknown[],
    hasStarted: row.has_started === 1,
    isCompleted: row.is_completed === 1,
    isArchived: row.is_archived === 1,
    lastChatSessionId: row.last_chat_session_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

export function toAnswer(row: Omit<Database['answers'], 'seq'>): AnswerRecord {
  return {
    id: row.id,
    resultId: row.result_id,
    blockId: row.block_id,
    content: row.content,
    attachedFileUrls: row.attached_file_urls ? (JSON.parse(row.attached_file_urls) as string[]) : null,
    createdAt: row.created_at,
  }
}

export function toLog(row: Omit<Database['logs'], 'seq'>): LogRecord {
  return {
    id: row.id,
    resultId: row.result_id,
    status: row.status,
    description: row.description,
    details: row.details,
    context: row.context,
    createdAt: row.created_at,
  }
}
