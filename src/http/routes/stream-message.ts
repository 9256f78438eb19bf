import { Readable } from 'node:stream'
import { z } from 'zod'
import { sessionIdParamsSchema } from '../../schemas/chat-api.js'
import type { AppDeps } from '../app.js'
import { rateLimitHooks } from '../rate-limit-hooks.js'
import type { TypedApp } from '../typed-app.js'

/**
 * §3.7: streams the answer of the AI block a session waits on, in the AI SDK's data-stream line
 * format that Typebot's web embed reads. Public like the Chat API, and readable from any origin
 * (`*`, as Typebot answers) since embeds run on customers' sites.
 */
export function registerStreamMessageRoutes(app: TypedApp, deps: AppDeps) {
  app.post(
    '/v2/sessions/:sessionId/streamMessage',
    {
      // A stream is the first half of a reply (continueChat sends the text): it counts as one.
      onRequest: rateLimitHooks(app, deps, ['repliesPerIp', 'repliesPerSession']),
      bodyLimit: deps.http.chatBodyLimit,
      schema: {
        operationId: 'streamMessage',
        summary: 'Stream message',
        description:
          'After a `stream` client-side action: streams the AI answer as `text/plain` lines `0:"text"` (text), `3:"{json log}"` ' +
          '(an error, also logged on the result), `d:{"finishReason":...}` (end). Then send the whole text with continueChat. ' +
          'A `messages` field (old embeds) is ignored: the messages come from the session.',
        tags: ['Chat'],
        params: sessionIdParamsSchema,
        body: z.looseObject({ messages: z.array(z.unknown()).optional() }).optional(),
        // No response schema: the answer is a stream of text lines (described above); errors have the usual body.
      },
    },
    async (request, reply) => {
      const abort = new AbortController()
      // A client that leaves stops the provider call (and its cost).
      reply.raw.on('close', () => {
        if (!reply.raw.writableFinished) abort.abort()
      })
      const lines = await deps.chat.streamMessage(request.params.sessionId, request.headers.origin, abort.signal)
      return reply
        .header('access-control-allow-origin', '*')
        .header('content-type', 'text/plain; charset=utf-8')
        .header('cache-control', 'no-cache')
        .header('x-vercel-ai-data-stream', 'v1')
        .send(Readable.from(lines, { objectMode: false }))
    },
  )
}
