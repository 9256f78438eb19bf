import { z } from 'zod'
import { continueChatBodySchema, continueChatResponseSchema, errorBodySchema, sessionIdParamsSchema } from '../../schemas/chat-api.js'
import type { AppDeps } from '../app.js'
import { bearerSecurity, createUserGuard } from '../require-user.js'
import type { TypedApp } from '../typed-app.js'

const scalarSchema = z.union([z.string(), z.number(), z.boolean(), z.null()])
const variableValueSchema = z
  .union([scalarSchema, z.array(scalarSchema), z.record(z.string(), z.unknown())])
  .describe('Numbers and booleans are stored as text, objects as JSON text, null clears the variable (as Typebot stores values).')

const setVariablesBodySchema = z.object({
  variables: z
    .union([
      z.record(z.string(), variableValueSchema).describe('Values by variable name'),
      z.array(
        z.union([
          z.object({ id: z.string().min(1), value: variableValueSchema }),
          z.object({ name: z.string().min(1), value: variableValueSchema }),
        ]),
      ),
    ])
    .refine((variables) => Object.keys(variables).length > 0, 'At least one variable'),
})

const successSchema = z.object({ message: z.literal('success') })
const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema }
const tags = ['Session control']

const sessionSummarySchema = z.object({
  id: z.string(),
  status: z.enum(['active', 'paused']),
  isPreview: z.boolean(),
  resultId: z.string().optional(),
  currentBlockId: z.string().optional().describe('The block the session waits on'),
  pausedAt: z.string().optional(),
  pauseReason: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
})

/**
 * Hand-off to a human and back: operators pause a session (the bot stays silent, user messages
 * are kept and announced by webhooks), set its variables, resume or close it, and list sessions.
 * Writes need write access to the session's typebot, as updateTypebot does.
 */
export function registerSessionControlRoutes(app: TypedApp, deps: AppDeps) {
  const guard = createUserGuard(deps.store)
  const protectedRoute = { onRequest: guard.onRequest }

  app.patch(
    '/v1/sessions/:sessionId/variables',
    {
      ...protectedRoute,
      schema: {
        operationId: 'setSessionVariables',
        summary: 'Set variables of a session',
        description:
          'Merges values into the session (by variable name, or `{ id | name, value }` items) and into its result; the next turn sees them. Unknown variables are a 400 and nothing is written.',
        tags,
        security: bearerSecurity,
        params: sessionIdParamsSchema,
        body: setVariablesBodySchema,
        response: { 200: successSchema, ...errors },
      },
    },
    async (request) => {
      const { variables } = request.body
      const assignments = Array.isArray(variables) ? variables : Object.entries(variables).map(([name, value]) => ({ name, value }))
      return deps.chat.setSessionVariables(guard.userOf(request), request.params.sessionId, assignments)
    },
  )

  app.post(
    '/v1/sessions/:sessionId/pause',
    {
      ...protectedRoute,
      schema: {
        operationId: 'pauseSession',
        summary: 'Pause a session (hand it to a human)',
        description:
          'While paused, continueChat keeps the user\'s messages in the result\'s transcript, sends `message.received` webhook events and answers `{ "messages": [] }`: the bot says nothing until resumed. Pausing a paused session changes nothing.',
        tags,
        security: bearerSecurity,
        params: sessionIdParamsSchema,
        body: z.object({ reason: z.string().max(1000).optional() }).optional(),
        response: { 200: successSchema, ...errors },
      },
    },
    async (request) => deps.chat.pauseSession(guard.userOf(request), request.params.sessionId, request.body?.reason),
  )

  app.post(
    '/v1/sessions/:sessionId/resume',
    {
      ...protectedRoute,
      schema: {
        operationId: 'resumeSession',
        summary: 'Resume a paused session',
        description:
          'The bot speaks again: by default it asks again for the input it was waiting on (the bubbles before it and the input); with `startFrom.groupId` it goes on from the start of that group. `reply` is what it says (a continueChat answer), also sent with the `session.resumed` event. 409 when the session is not paused.',
        tags,
        security: bearerSecurity,
        params: sessionIdParamsSchema,
        body: z
          .object({
            startFrom: z.object({ groupId: z.string().min(1) }).optional(),
            textBubbleContentFormat: continueChatBodySchema.shape.textBubbleContentFormat,
          })
          .optional(),
        response: { 200: successSchema.extend({ reply: continueChatResponseSchema }), ...errors },
      },
    },
    async (request) =>
      deps.chat.resumeSession(guard.userOf(request), request.params.sessionId, {
        startFrom: request.body?.startFrom,
        textBubbleContentFormat: request.body?.textBubbleContentFormat,
      }),
  )

  app.post(
    '/v1/sessions/:sessionId/close',
    {
      ...protectedRoute,
      schema: {
        operationId: 'closeSession',
        summary: 'Close a session',
        description: 'Ends the conversation: continueChat then answers 404, as for a completed one. The result is kept.',
        tags,
        security: bearerSecurity,
        params: sessionIdParamsSchema,
        body: z.object({}).optional(),
        response: { 200: successSchema, ...errors },
      },
    },
    async (request) => deps.chat.closeSession(guard.userOf(request), request.params.sessionId),
  )

  app.get(
    '/v1/typebots/:typebotId/sessions',
    {
      ...protectedRoute,
      schema: {
        operationId: 'listSessions',
        summary: 'List the ongoing sessions of a typebot',
        description: 'Newest first, for an operator inbox; `status` keeps only active or paused ones.',
        tags,
        security: bearerSecurity,
        params: z.object({ typebotId: z.string().min(1) }),
        querystring: z.object({
          status: z.enum(['active', 'paused']).optional(),
          limit: z.coerce.number().int().min(1).max(100).default(50),
          cursor: z.string().optional().describe('nextCursor of the previous page'),
        }),
        response: {
          200: z.object({ sessions: z.array(sessionSummarySchema), nextCursor: z.string().optional() }),
          ...errors,
        },
      },
    },
    async (request) => deps.chat.listSessions(guard.userOf(request), request.params.typebotId, request.query),
  )
}
