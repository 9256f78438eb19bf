import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { readBearerToken } from '../../auth.js'
import { AppError } from '../../errors.js'
import { errorBodySchema } from '../../schemas/chat-api.js'
import type { TypedApp } from '../typed-app.js'

/** What GET /api/metrics serves, and the request timings it counts. */
export type MetricsEndpoint = {
  /** METRICS_TOKEN: the scraper sends it as a Bearer token. */
  token: string
  contentType: string
  read(): Promise<string>
  observeRequest(method: string, route: string, status: number, seconds: number): void
  /** One file received at a local upload URL (the upload route counts it). */
  countUpload(outcome: 'stored' | 'too_large' | 'failed'): void
}

/** `GET /api/metrics`: Prometheus text format, for the holder of METRICS_TOKEN only. */
export function registerMetricsRoutes(app: TypedApp, metrics: MetricsEndpoint) {
  const expected = digest(metrics.token)
  app.get(
    '/metrics',
    {
      schema: {
        summary: 'Prometheus metrics',
        description:
          'Requests, chat turns, sessions, sandbox and outgoing HTTP calls, AI calls, e-mails, webhook deliveries, uploads, database pool, event-loop lag. Needs METRICS_TOKEN.',
        tags: ['Health'],
        security: [{ Authorization: [] }],
        response: { 200: z.string(), 401: errorBodySchema },
      },
    },
    async (request, reply) => {
      const token = readBearerToken(request.headers.authorization)
      // Compared as digests: equal lengths, constant time.
      if (!token || !timingSafeEqual(digest(token), expected)) throw new AppError('UNAUTHENTICATED', 'A valid metrics token is required')
      return reply.type(metrics.contentType).send(await metrics.read())
    },
  )
}

/** Times every request by route pattern (never the raw URL: label values stay bounded). */
export function observeRequests(app: FastifyInstance, metrics: MetricsEndpoint) {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched'
    metrics.observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000)
  })
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest()
}
