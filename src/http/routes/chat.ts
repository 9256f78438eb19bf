import { z } from 'zod'
import {
  clientLogsBodySchema,
  continueChatBodySchema,
  continueChatResponseSchema,
  errorBodySchema,
  legacyClientLogsBodySchema,
  messageResponseSchema,
  sessionIdParamsSchema,
  startChatBodySchema,
  startChatResponseSchema,
  startPreviewChatBodySchema,
} from '../../schemas/chat-api.js'
import type { AppDeps } from '../app.js'
import { rateLimitHooks } from '../rate-limit-hooks.js'
import { requestBaseUrl } from '../request-base-url.js'
import { bearerSecurity, createUserGuard } from '../require-user.js'
import type { TypedApp } from '../typed-app.js'

/**
 * The hottest routes serialize with plain JSON.stringify: the engine already shapes every message,
 * and re-checking each one against zod cost a tenth of a turn. The schemas still document the
 * responses, and the tests validate them against Typebot's own document.
 */
const serializeAsIs = { serializerCompiler: () => (data: unknown) => JSON.stringify(data) }

const errors = {
  400: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
  413: errorBodySchema,
  429: errorBodySchema.describe('Too many requests: see the Retry-After header'),
  500: errorBodySchema,
}

/** Client logs are a few lines of text: far below the chat routes' limit. */
const clientLogsBodyLimit = 64 * 1024

/** Typebot's Chat API 3.0.0: public start, preview start, continue, client logs. */
export function registerChatRoutes(app: TypedApp, deps: AppDeps) {
  const guard = createUserGuard(deps.store)
  const chatBodyLimit = deps.http.chatBodyLimit
  app.post(
    '/v1/typebots/:publicId/startChat',
    {
      ...serializeAsIs,
      onRequest: rateLimitHooks(app, deps, ['newSessionsPerIp']),
      bodyLimit: chatBodyLimit,
      schema: {
        operationId: 'startChat',
        summary: 'Start chat',
        description: 'Starts a conversation with the latest published version of a typebot.',
        tags: ['Chat'],
        params: z.object({ publicId: z.string().min(1) }),
        body: startChatBodySchema,
        response: { 200: startChatResponseSchema, ...errors },
      },
    },
    async (request) =>
      deps.chat.startChat(request.params.publicId, request.body, request.headers.origin, requestBaseUrl(deps.publicUrl, request)),
  )

  app.post(
    '/v1/typebots/:typebotId/preview/startChat',
    {
      onRequest: guard.onRequest,
      bodyLimit: chatBodyLimit,
      schema: {
        operationId: 'startChatPreview',
        summary: 'Start preview chat',
        description: 'Starts a conversation with the current draft of a typebot. No result is saved.',
        tags: ['Chat'],
        security: bearerSecurity,
        params: z.object({ typebotId: z.string().min(1) }),
        body: startPreviewChatBodySchema,
        response: { 200: startChatResponseSchema, 401: errorBodySchema, ...errors },
      },
    },
    async (request) =>
      deps.chat.startPreviewChat(guard.userOf(request), request.params.typebotId, request.body, requestBaseUrl(deps.publicUrl, request)),
  )

  app.post(
    '/v1/sessions/:sessionId/continueChat',
    {
      ...serializeAsIs,
      // Per address first: an address over its limit adds no per-session counters.
      onRequest: rateLimitHooks(app, deps, ['repliesPerIp', 'repliesPerSession']),
      bodyLimit: chatBodyLimit,
      schema: {
        operationId: 'continueChat',
        summary: 'Continue chat',
        description: "Sends the user's reply and gets the next messages and input.",
        tags: ['Chat'],
        params: sessionIdParamsSchema,
        body: continueChatBodySchema,
        response: { 200: continueChatResponseSchema, ...errors },
      },
    },
    async (request) =>
      deps.chat.continueChat(request.params.sessionId, request.body, request.headers.origin, requestBaseUrl(deps.publicUrl, request)),
  )

  app.post(
    '/v2/sessions/:sessionId/clientLogs',
    {
      onRequest: rateLimitHooks(app, deps, ['clientLogsPerIp']),
      bodyLimit: clientLogsBodyLimit,
      schema: {
        operationId: 'saveClientLogs',
        summary: 'Save client logs',
        tags: ['Chat'],
        params: sessionIdParamsSchema,
        body: clientLogsBodySchema,
        response: { 200: messageResponseSchema, ...errors },
      },
    },
    async (request) => deps.chat.saveClientLogs(request.params.sessionId, request.body.clientLogs, request.headers.origin),
  )

  app.post(
    '/v1/sessions/:sessionId/clientLogs',
    {
      onRequest: rateLimitHooks(app, deps, ['clientLogsPerIp']),
      bodyLimit: clientLogsBodyLimit,
      schema: {
        operationId: 'saveClientLogsV1',
        summary: 'Save client logs (deprecated)',
        tags: ['Chat'],
        deprecated: true,
        params: sessionIdParamsSchema,
        body: legacyClientLogsBodySchema,
        response: { 200: messageResponseSchema, ...errors },
      },
    },
    async (request) => deps.chat.saveClientLogs(request.params.sessionId, request.body.clientLogs, request.headers.origin),
  )
}
