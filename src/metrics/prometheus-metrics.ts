import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'
import type { Metrics } from './metrics.js'

export type PoolStats = { total: number; idle: number; waiting: number }

export type PrometheusMetrics = Metrics & {
  readonly registry: Registry
  /** One answered HTTP request; `route` is the route's pattern, never the raw URL (bounded label values). */
  observeRequest(method: string, route: string, status: number, seconds: number): void
}

/** Seconds: from a cached health check to a turn that waits on slow HTTP calls. */
const requestBuckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

/**
 * The Prometheus side of `Metrics`, on a registry of its own (tests run several servers in one
 * process), with Node's default metrics: CPU, memory, GC, event-loop lag.
 */
export function createPrometheusMetrics(options: { poolStats?: () => PoolStats | undefined } = {}): PrometheusMetrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  const registers = [registry]
  const requests = new Histogram({
    name: 'botflow_http_request_duration_seconds',
    help: 'HTTP requests by method, route and status, and how long they took (its _count is the number of requests)',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: requestBuckets,
    registers,
  })
  const turns = new Counter({ name: 'botflow_turns_total', help: 'Chat turns written, by kind', labelNames: ['kind'] as const, registers })
  const sessions = {
    started: new Counter({ name: 'botflow_sessions_started_total', help: 'Chat sessions started', registers }),
    completed: new Counter({ name: 'botflow_sessions_completed_total', help: 'Conversations that reached their end', registers }),
    expired: new Counter({ name: 'botflow_sessions_expired_total', help: 'Expired sessions deleted by the sweeper', registers }),
  }
  const resultsDeleted = new Counter({
    name: 'botflow_results_deleted_total',
    help: 'Results deleted by the sweeper after RESULTS_RETENTION_DAYS',
    registers,
  })
  const sandboxCalls = new Counter({
    name: 'botflow_sandbox_calls_total',
    help: 'Calls of user JavaScript, by outcome',
    labelNames: ['outcome'] as const,
    registers,
  })
  const outboundHttp = new Counter({
    name: 'botflow_outbound_http_requests_total',
    help: 'HTTP requests of HTTP request blocks and server scripts, by outcome',
    labelNames: ['outcome'] as const,
    registers,
  })
  const aiCalls = new Counter({
    name: 'botflow_ai_calls_total',
    help: 'Calls of AI providers (AI blocks, streamed or not), by provider and outcome',
    labelNames: ['provider', 'outcome'] as const,
    registers,
  })
  const emails = new Counter({
    name: 'botflow_emails_total',
    help: 'E-mails of Email blocks, by outcome (sent or failed)',
    labelNames: ['outcome'] as const,
    registers,
  })
  const webhookDeliveries = new Counter({
    name: 'botflow_webhook_deliveries_total',
    help: 'Attempts to deliver event webhooks: delivered, failed (retried later), dead (failed, no retry left)',
    labelNames: ['outcome'] as const,
    registers,
  })
  const uploads = new Counter({
    name: 'botflow_uploads_total',
    help: 'Files received at local upload URLs, by outcome (stored, too_large, failed)',
    labelNames: ['outcome'] as const,
    registers,
  })
  const { poolStats } = options
  if (poolStats) {
    new Gauge({
      name: 'botflow_db_pool_connections',
      help: 'PostgreSQL pool of this process: open connections, idle ones, and queries waiting for one',
      labelNames: ['state'] as const,
      registers,
      collect() {
        const stats = poolStats()
        if (!stats) return
        this.set({ state: 'total' }, stats.total)
        this.set({ state: 'idle' }, stats.idle)
        this.set({ state: 'waiting' }, stats.waiting)
      },
    })
  }
  return {
    registry,
    observeRequest(method, route, status, seconds) {
      requests.observe({ method, route, status: String(status) }, seconds)
    },
    turn: (kind) => turns.inc({ kind }),
    sessionStarted: () => sessions.started.inc(),
    sessionCompleted: () => sessions.completed.inc(),
    sessionsExpired: (count) => sessions.expired.inc(count),
    resultsDeleted: (count) => resultsDeleted.inc(count),
    sandboxCall: (outcome) => sandboxCalls.inc({ outcome }),
    outboundHttp: (outcome) => outboundHttp.inc({ outcome }),
    aiCall: (provider, outcome) => aiCalls.inc({ provider, outcome }),
    email: (outcome) => emails.inc({ outcome }),
    webhookDelivery: (outcome) => webhookDeliveries.inc({ outcome }),
    upload: (outcome) => uploads.inc({ outcome }),
  }
}
