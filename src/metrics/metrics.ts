/**
 * What the app counts, in its own words: chat, sandbox, outgoing HTTP and the sweeper call these, and
 * know nothing of Prometheus. `noMetrics` is what they get when metrics are off (the default).
 */
export type Metrics = {
  /** A chat turn was written: `start` (startChat, preview included) or `continue`. */
  turn(kind: 'start' | 'continue'): void
  sessionStarted(): void
  /** A conversation reached its end (its session is deleted, its result completed). */
  sessionCompleted(): void
  /** The sweeper deleted this many expired sessions. */
  sessionsExpired(count: number): void
  /** The sweeper deleted this many results past their retention. */
  resultsDeleted(count: number): void
  /** One call of user JavaScript, as the sandbox's worker pool reports it. */
  sandboxCall(outcome: SandboxOutcome): void
  /** One HTTP request of an HTTP request block or a server script, by how it ended. */
  outboundHttp(outcome: OutboundHttpOutcome): void
  /** One call of an AI provider (an AI block's answer, streamed or not), by provider and how it ended. */
  aiCall(provider: string, outcome: AiCallOutcome): void
  /** One e-mail of an Email block. */
  email(outcome: 'sent' | 'failed'): void
  /** One attempt to deliver an event webhook. */
  webhookDelivery(outcome: WebhookDeliveryOutcome): void
  /** One file received at a local upload URL. */
  upload(outcome: UploadOutcome): void
}

/** `memory`: over its memory limit; `busy`: the pool's queue was full; `crashed`: the worker died. */
export type SandboxOutcome = 'ok' | 'error' | 'timeout' | 'memory' | 'busy' | 'crashed'
/** `response`: the target answered (any status); `refused`: the SSRF guard said no; `failed`: DNS, connection, size. */
export type OutboundHttpOutcome = 'response' | 'refused' | 'timeout' | 'failed'

/** `aborted`: a streamed answer whose client left, or cut by a shutdown. */
export type AiCallOutcome = 'ok' | 'error' | 'aborted'
/** `failed`: the attempt failed and will be retried; `dead`: it failed and the retries are over. */
export type WebhookDeliveryOutcome = 'delivered' | 'failed' | 'dead'
/** `too_large`: over the input's size limit; `failed`: interrupted, or not stored. */
export type UploadOutcome = 'stored' | 'too_large' | 'failed'

const ignore = () => undefined

export const noMetrics: Metrics = {
  turn: ignore,
  sessionStarted: ignore,
  sessionCompleted: ignore,
  sessionsExpired: ignore,
  resultsDeleted: ignore,
  sandboxCall: ignore,
  outboundHttp: ignore,
  aiCall: ignore,
  email: ignore,
  webhookDelivery: ignore,
  upload: ignore,
}
