/** Kysely's view of our tables. Timestamps are ISO strings, JSON is text, booleans are 0/1 on both dialects. */
import type { Generated } from 'kysely'

export type Database = {
  users: { id: string; email: string; name: string | null; created_at: string }
  workspaces: { id: string; name: string; icon: string | null; plan: string; created_at: string }
  members: { workspace_id: string; user_id: string; role: string; created_at: string }
  api_tokens: { id: string; user_id: string; name: string; token_hash: string; created_at: string; last_used_at: string | null }
  typebots: {
    id: string
    workspace_id: string
    public_id: string | null
    name: string
    draft: string
    published_version_id: string | null
    is_archived: number
    is_closed: number
    created_at: string
    updated_at: string
  }
  collaborators: { typebot_id: string; user_id: string; type: string; created_at: string }
  typebot_versions: { id: string; typebot_id: string; kind: string; content: string; content_hash: string | null; created_at: string }
  sessions: {
    id: string
    typebot_id: string
    state: string
    row_version: number
    created_at: string
    updated_at: string
    /** Who works on the session now, until when (epoch ms; PostgreSQL returns bigints as strings). */
    lease_owner: string | null
    lease_until: number | string | null
    /** When the session expires (ISO), null when it never does; the sweeper deletes by it. */
    expires_at: string | null
  }
  results: {
    id: string
    typebot_id: string
    variables: string
    has_started: number
    is_completed: number
    is_archived: number
    last_chat_session_id: string | null
    created_at: string
    updated_at: string
  }
  answers: {
    seq: Generated<number>
    id: string
    result_id: string
    block_id: string
    content: string
    attached_file_urls: string | null
    created_at: string
  }
  logs: {
    seq: Generated<number>
    id: string
    result_id: string
    status: string
    description: string
    details: string | null
    context: string | null
    created_at: string
  }
  visited_edges: { result_id: string; edge_id: string; idx: number }
  credentials: {
    id: string
    workspace_id: string
    type: string
    name: string
    data: string
    created_at: string
    updated_at: string
  }
  /** One row per background job that one process at a time may run (the sweeper). */
  maintenance_leases: { name: string; owner: string; held_until: number | string }
  rate_limit_counters: { key: string; window_start: number; window_end: number; max_hits: number; hits: number }
  set_variable_history: { result_id: string; idx: number; block_id: string; variable_id: string; block_index: number; value: string }
  uploads: {
    id: string
    token_hash: string
    workspace_id: string
    typebot_id: string
    result_id: string | null
    session_id: string
    block_id: string
    wait_version: number
    storage_key: string
    file_name: string
    content_type: string
    is_attachment: number
    max_bytes: number
    size: number | null
    is_private: number
    status: string
    expires_at: string
    created_at: string
    stored_at: string | null
  }
  session_pauses: { session_id: string; typebot_id: string; reason: string | null; paused_at: string }
  result_messages: {
    seq: Generated<number>
    id: string
    result_id: string
    session_id: string
    message: string
    answer_count: number
    created_at: string
  }
  webhook_subscriptions: {
    id: string
    workspace_id: string
    url: string
    events: string
    typebot_ids: string | null
    secret_sealed: string
    description: string | null
    is_enabled: number
    created_at: string
    updated_at: string
  }
  webhook_deliveries: {
    seq: Generated<number>
    event_id: string
    subscription_id: string
    event_type: string
    payload: string
    status: string
    attempts: number
    next_attempt_at: string
    lease_until: string | null
    lease_owner: string | null
    last_status_code: number | null
    last_error: string | null
    delivered_at: string | null
    created_at: string
  }
  webhook_attempts: {
    seq: Generated<number>
    delivery_seq: number
    attempted_at: string
    status_code: number | null
    error: string | null
    duration_ms: number
  }
  webhook_block_subscriptions: { typebot_id: string; block_id: string; url: string; created_at: string }
}
