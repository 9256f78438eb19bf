import cors from '@fastify/cors'
import swagger from '@fastify/swagger'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod'
import type { ChatService } from '../chat/chat-service.js'
import type { Config } from '../config.js'
import type { SecretCipher } from '../credentials/secret-cipher.js'
import { AppError } from '../errors.js'
import { OneLineRequestLog } from '../logging/one-line-request-log.js'
import type { Store } from '../storage/store.js'
import type { FileStorage } from '../uploads/file-storage.js'
import { handleClientError, handleError, notFoundHandler } from './error-handler.js'
import { exceedsJsonDepth, maxJsonDepth } from './json-depth.js'
import type { RateLimitCounters } from './rate-limit-counters.js'
import { registerRateLimits } from './rate-limit-hooks.js'
import { refuseRequestsWhileClosing } from './refuse-while-closing.js'
import { registerAnalyticsRoutes } from './routes/analytics.js'
import { registerApiTokenRoutes } from './routes/api-tokens.js'
import { registerChatRoutes } from './routes/chat.js'
import { registerCredentialsRoutes } from './routes/credentials.js'
import { registerDocsRoutes } from './routes/docs.js'
import { registerHealthRoutes } from './routes/health.js'
import { type MetricsEndpoint, observeRequests, registerMetricsRoutes } from './routes/metrics.js'
import { registerOpenApiRoutes } from './routes/openapi.js'
import { registerResultRoutes } from './routes/results.js'
import { registerSessionControlRoutes } from './routes/session-control.js'
import { registerSessionRoutes } from './routes/sessions.js'
import { registerStreamMessageRoutes } from './routes/stream-message.js'
import { registerTypebotRoutes } from './routes/typebots.js'
import { registerUploadRoutes } from './routes/uploads.js'
import { registerWebRoutes } from './routes/web.js'
import { registerWebhookBlockRoutes } from './routes/webhook-blocks.js'
import { registerWebhookRoutes } from './routes/webhooks.js'
import { registerWorkspaceRoutes } from './routes/workspaces.js'

export type { MetricsEndpoint }

/** Headers alone must arrive within this (or REQUEST_TIMEOUT_MS when shorter): slow-header clients hold a socket. */
const maxHeadersTimeoutMs = 10_000

export type AppDeps = {
  store: Store
  chat: ChatService
  /** Seals and opens workspace credentials. */
  cipher: SecretCipher
  bodyLimit: number
  http: Config['http']
  rateLimit: Config['rateLimit']
  /** The counts behind the rate limits; absent when `rateLimit.isEnabled` is false. */
  rateLimitCounters?: RateLimitCounters
  logger?: FastifyServerOptions['logger']
  /** Where uploaded files live (local folder or S3 bucket). */
  files: FileStorage
  /** PUBLIC_URL: the origin users reach botflow at, for absolute URLs (embed snippet, OpenAPI servers, file URLs); else the request's own. */
  publicUrl?: string
  /** Ceiling of any upload's size (`UPLOAD_MAX_SIZE_MB`), in bytes. */
  maxUploadBytes: number
  /** The clock of upload URL expiry (the chat clock). */
  now(): number
  /** GET /api/metrics and the request timings behind it; undefined when metrics are off. */
  metrics?: MetricsEndpoint
}

/**
 * Builds the HTTP app: plugins, every route, one error handler. Never listens and never reads
 * the environment, so tests and the CLI build it the same way `serve` does.
 */
export async function buildApp(deps: AppDeps) {
  const app = Fastify({
    logger: deps.logger ?? false,
    logController: new OneLineRequestLog(),
    bodyLimit: deps.bodyLimit,
    routerOptions: { ignoreTrailingSlash: true },
    // Trusting X-Forwarded-* from anyone would let every client choose its IP (rate limits) and
    // the host of the pages; TRUST_PROXY names the proxies in front, if any.
    trustProxy: deps.http.trustProxy,
    requestTimeout: deps.http.requestTimeoutMs,
    keepAliveTimeout: deps.http.keepAliveTimeoutMs,
    // refuseRequestsWhileClosing answers instead, with our error body.
    return503OnClosing: false,
    http: requestTimeoutOptions(deps.http.requestTimeoutMs),
    clientErrorHandler: handleClientError,
    // Errors raised by the router (a bad percent-encoding, an over-long id) come before the CORS
    // plugin runs: answer them with our envelope and the CORS header, so embeds can read them.
    frameworkErrors: (error, request, reply) => {
      if (request.headers.origin) reply.header('access-control-allow-origin', request.headers.origin).header('vary', 'Origin')
      return handleError(error, request, reply)
    },
  })
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  app.setErrorHandler(handleError)
  app.setNotFoundHandler(notFoundHandler)
  parseJsonBodies(app)
  if (deps.metrics) observeRequests(app, deps.metrics)

  // Typebot's embeds run on customers' sites: the API answers any origin; allowedOrigins of a
  // typebot are enforced by the chat routes themselves (403 "Origin not allowed").
  await app.register(cors, { origin: true, methods: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS'] })
  // After CORS, so an embed can read the 503 too.
  refuseRequestsWhileClosing(app)
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'botflow API',
        version: '1.0.0',
        description: "Typebot's Chat API 3.0.0 and the management API of botflow.",
      },
      ...(deps.publicUrl ? { servers: [{ url: deps.publicUrl }] } : {}),
      components: { securitySchemes: { Authorization: { type: 'http', scheme: 'bearer' } } },
    },
    transform: jsonSchemaTransform,
  })

  if (deps.rateLimit.isEnabled && deps.rateLimitCounters) await registerRateLimits(app, deps.rateLimitCounters)
  await app.register(
    async (api) => {
      const routes = api.withTypeProvider<ZodTypeProvider>()
      registerHealthRoutes(routes, deps)
      if (deps.metrics) registerMetricsRoutes(routes, deps.metrics)
      registerOpenApiRoutes(routes)
      registerWorkspaceRoutes(routes, deps)
      registerTypebotRoutes(routes, deps)
      registerApiTokenRoutes(routes, deps)
      registerCredentialsRoutes(routes, deps)
      registerResultRoutes(routes, deps)
      registerAnalyticsRoutes(routes, deps)
      registerChatRoutes(routes, deps)
      registerStreamMessageRoutes(routes, deps)
      registerSessionRoutes(routes, deps)
      registerUploadRoutes(routes, deps)
      registerSessionControlRoutes(routes, deps)
      registerWebhookRoutes(routes, deps)
      registerWebhookBlockRoutes(routes, deps)
    },
    { prefix: '/api' },
  )
  await registerDocsRoutes(app)
  registerWebRoutes(app, deps)
  return app
}

/**
 * Node ignores `requestTimeout` while `headersTimeout` (60 s by default) is longer, and checks both
 * every `connectionsCheckingInterval` (30 s by default): without these a trickled body outlives it.
 */
function requestTimeoutOptions(requestTimeoutMs: number) {
  return {
    headersTimeout: Math.min(requestTimeoutMs, maxHeadersTimeoutMs),
    connectionsCheckingInterval: Math.min(1_000, Math.max(100, Math.floor(requestTimeoutMs / 4))),
  }
}

/**
 * The one JSON parser. Typebot accepts a POST with no body or an empty one as "no fields"; so do
 * we. Bodies nested deeper than `maxJsonDepth` are refused before parsing, so no recursive code
 * (validation, serialization, the engine) ever sees one.
 */
function parseJsonBodies(app: FastifyInstance) {
  const parseJson = app.getDefaultJsonParser('error', 'error')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body.toString()
    if (text.trim() === '') return done(null, {})
    if (exceedsJsonDepth(text)) return done(new AppError('INVALID_REQUEST', `JSON nested deeper than ${maxJsonDepth} levels`))
    return parseJson(request, text, done)
  })
  app.addHook('preValidation', async (request) => {
    if (request.body === undefined || request.body === null) request.body = {}
  })
}
