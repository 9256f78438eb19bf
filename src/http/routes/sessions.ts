import { z } from 'zod'
import { errorBodySchema, sessionIdParamsSchema } from '../../schemas/chat-api.js'
import type { AppDeps } from '../app.js'
import { bearerSecurity, createUserGuard } from '../require-user.js'
import type { TypedApp } from '../typed-app.js'

const sessionViewSchema = z.object({
  id: z.string(),
  typebotId: z.string(),
  versionId: z.string().describe('The stored typebot version the session runs.'),
  isPreview: z.boolean(),
  resultId: z.string().optional(),
  currentBlock: z
    .object({ id: z.string(), type: z.string().optional(), groupId: z.string().optional(), groupTitle: z.string().optional() })
    .optional()
    .describe('The block the session waits on.'),
  pendingRelocation: z.string().optional().describe('Set when an update removed the waiting block: what the next reply will do.'),
  typebotsQueue: z.array(z.object({ typebotId: z.string(), versionId: z.string(), resultId: z.string().optional() })),
  variables: z.array(
    z.object({ id: z.string(), name: z.string(), value: z.union([z.string(), z.array(z.string().nullable()), z.null()]) }),
  ),
  answers: z.array(z.object({ key: z.string(), value: z.string() })),
  isEnded: z.boolean(),
  status: z.enum(['active', 'paused']).describe('paused: an operator has the conversation, the bot stays silent'),
  pausedAt: z.string().optional(),
  pauseReason: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
})

/** Session management: updating a running conversation to the latest typebot, reading a session. */
export function registerSessionRoutes(app: TypedApp, deps: AppDeps) {
  const guard = createUserGuard(deps.store)
  app.post(
    '/v1/sessions/:sessionId/updateTypebot',
    {
      onRequest: guard.onRequest,
      schema: {
        operationId: 'updateTypebotInSession',
        summary: 'Update typebot in session',
        description:
          'Update chat session with latest typebot modifications. This is useful when you want to update the typebot in an ongoing session after making changes to it.',
        tags: ['Chat'],
        security: bearerSecurity,
        params: sessionIdParamsSchema,
        body: z.object({}).optional(),
        response: {
          200: z.object({ message: z.literal('success') }),
          400: errorBodySchema.describe('Invalid input data'),
          401: errorBodySchema.describe('Authorization not provided'),
          403: errorBodySchema.describe('Insufficient access'),
          404: errorBodySchema.describe('Session not found'),
          409: errorBodySchema,
          500: errorBodySchema.describe('Internal server error'),
        },
      },
    },
    async (request) => {
      const user = guard.userOf(request)
      return deps.chat.updateTypebotInSession(user, request.params.sessionId)
    },
  )

  app.post(
    '/v1/typebots/:typebotId/sessions/updateTypebot',
    {
      onRequest: guard.onRequest,
      schema: {
        operationId: 'updateTypebotInAllSessions',
        summary: 'Update typebot in every ongoing session',
        description: 'Moves every ongoing live session of the typebot to its latest published version, keeping answers and variables.',
        tags: ['Chat'],
        security: bearerSecurity,
        params: z.object({ typebotId: z.string().min(1) }),
        body: z.object({}).optional(),
        response: {
          200: z.object({ message: z.literal('success'), updatedSessions: z.number().int() }),
          400: errorBodySchema,
          401: errorBodySchema,
          403: errorBodySchema,
          404: errorBodySchema,
          409: errorBodySchema,
        },
      },
    },
    async (request) => {
      const user = guard.userOf(request)
      const { updatedSessions } = await deps.chat.updateAllSessionsOfTypebot(request.params.typebotId, user)
      return { message: 'success' as const, updatedSessions }
    },
  )

  app.post(
    '/v1/typebots/:typebotId/blocks/:blockId/results/:resultId/executeWebhook',
    {
      onRequest: guard.onRequest,
      // The payload is kept on the session until the next reply.
      bodyLimit: deps.http.chatBodyLimit,
      schema: {
        operationId: 'executeWebhook',
        summary: 'Resume a session waiting on a webhook block',
        description:
          'Delivers a payload to the session of this result that waits on this "webhook" block. The client\'s next continueChat without a message applies it. Needs write access to the typebot.',
        tags: ['Chat'],
        security: bearerSecurity,
        params: z.object({ typebotId: z.string().min(1), blockId: z.string().min(1), resultId: z.string().min(1) }),
        body: z.unknown(),
        response: {
          200: z.object({ message: z.literal('OK') }),
          401: errorBodySchema,
          403: errorBodySchema,
          404: errorBodySchema,
          409: errorBodySchema,
        },
      },
    },
    async (request) => {
      const user = guard.userOf(request)
      const { typebotId, blockId, resultId } = request.params
      return deps.chat.executeWebhook(user, { typebotId, blockId, resultId, body: request.body })
    },
  )

  app.get(
    '/v1/sessions/:sessionId',
    {
      onRequest: guard.onRequest,
      schema: {
        operationId: 'getSession',
        summary: 'Get a session',
        description: 'Which typebot version a session runs, where it waits, its variables and answers.',
        tags: ['Chat'],
        security: bearerSecurity,
        params: sessionIdParamsSchema,
        response: { 200: z.object({ session: sessionViewSchema }), 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema },
      },
    },
    async (request) => {
      const user = guard.userOf(request)
      return { session: await deps.chat.describeSession(user, request.params.sessionId) }
    },
  )
}
