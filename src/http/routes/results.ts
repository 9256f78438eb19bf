import { Readable } from 'node:stream'
import { requireTypebotAccess } from '../../access.js'
import { AppError } from '../../errors.js'
import { exportFileName, exportResults } from '../../results/export-results.js'
import { toResultView } from '../../results/result-view.js'
import { assertTimeZone, toTimeRange } from '../../results/time-filter.js'
import {
  deleteResultsBodySchema,
  deleteResultsQuerySchema,
  deleteResultsResponseSchema,
  exportResultsQuerySchema,
  getResultResponseSchema,
  listLogsResponseSchema,
  listResultsQuerySchema,
  listResultsResponseSchema,
  resultParamsSchema,
  resultTranscriptResponseSchema,
  typebotParamsSchema,
} from '../../schemas/management-api.js'
import type { ResultRecord, Store } from '../../storage/store.js'
import { deleteResultsWithFiles } from '../../uploads/delete-files.js'
import type { AppDeps } from '../app.js'
import { bearerSecurity, createUserGuard } from '../require-user.js'
import type { TypedApp } from '../typed-app.js'

export function registerResultRoutes(app: TypedApp, deps: AppDeps) {
  const { store } = deps
  const guard = createUserGuard(store)
  const tags = ['Results']

  app.get(
    '/v1/typebots/:typebotId/results',
    {
      onRequest: guard.onRequest,
      schema: {
        summary: 'List results ordered by descending creation date',
        tags,
        security: bearerSecurity,
        params: typebotParamsSchema,
        querystring: listResultsQuerySchema,
        response: { 200: listResultsResponseSchema },
      },
    },
    async (request) => {
      const typebot = await requireTypebotAccess(store, guard.userOf(request), request.params.typebotId, 'read')
      const { limit, cursor, timeFilter, timeZone } = request.query
      assertTimeZone(timeZone)
      const { from: createdFrom, to: createdTo } = toTimeRange(timeFilter, timeZone, Date.now())
      if (cursor !== undefined && /^\d+$/.test(cursor)) {
        // Typebot's cursor is an offset: the next one is cursor + limit.
        const offset = Number(cursor)
        const page = await store.listResults(typebot.id, { limit: limit + 1, offset, createdFrom, createdTo })
        const hasMore = page.length > limit
        const results = await Promise.all(page.slice(0, limit).map((result) => toResult(store, result)))
        return hasMore ? { results, nextCursor: offset + limit } : { results }
      }
      const from = cursor ? await store.findResult(cursor) : undefined
      if (cursor && (!from || from.typebotId !== typebot.id))
        throw new AppError('INVALID_REQUEST', 'Invalid cursor', [{ message: 'Unknown cursor', path: ['cursor'] }])
      // One extra result tells whether there is a next page; it starts that page (cursor included).
      const page = await store.listResults(typebot.id, {
        limit: limit + 1,
        from: from && { createdAt: from.createdAt, id: from.id },
        createdFrom,
        createdTo,
      })
      const next = page.length > limit ? page.pop() : undefined
      const results = await Promise.all(page.map((result) => toResult(store, result)))
      return next ? { results, nextCursor: next.id } : { results }
    },
  )

  app.get(
    '/v1/typebots/:typebotId/results/export',
    {
      onRequest: guard.onRequest,
      schema: {
        summary: 'Export results',
        description:
          "Streams every result (newest first) as CSV, with Typebot's export columns (Submitted at, one per input block, then the other variables), or as NDJSON, one result per line in the shape GET results gives. Memory does not grow with the number of results.",
        tags,
        security: bearerSecurity,
        params: typebotParamsSchema,
        querystring: exportResultsQuerySchema,
      },
    },
    async (request, reply) => {
      const typebot = await requireTypebotAccess(store, guard.userOf(request), request.params.typebotId, 'read')
      const { format, timeFilter, timeZone, includeDeletedBlocks } = request.query
      assertTimeZone(timeZone)
      const now = Date.now()
      const range = toTimeRange(timeFilter, timeZone, now)
      const chunks = exportResults(store, typebot, { format, range, includeDeletedBlocks: includeDeletedBlocks === 'true' })
      return reply
        .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
        .header('content-disposition', `attachment; filename="${exportFileName(typebot, timeFilter, format, now)}"`)
        .send(Readable.from(chunks))
    },
  )

  app.get(
    '/v1/typebots/:typebotId/results/:resultId',
    {
      onRequest: guard.onRequest,
      schema: {
        summary: 'Get result by id',
        tags,
        security: bearerSecurity,
        params: resultParamsSchema,
        response: { 200: getResultResponseSchema },
      },
    },
    async (request) => {
      const typebot = await requireTypebotAccess(store, guard.userOf(request), request.params.typebotId, 'read')
      const result = await findResultOfTypebot(store, typebot.id, request.params.resultId)
      return { result: await toResult(store, result) }
    },
  )

  app.get(
    '/v1/typebots/:typebotId/results/:resultId/transcript',
    {
      onRequest: guard.onRequest,
      schema: {
        summary: 'Get result transcript',
        description:
          'The conversation of a result, replayed from its answers on the version its session runs (else the published one), with the messages the user sent while an operator had the conversation.',
        tags,
        security: bearerSecurity,
        params: resultParamsSchema,
        response: { 200: resultTranscriptResponseSchema },
      },
    },
    async (request) => deps.chat.transcriptOfResult(guard.userOf(request), request.params.typebotId, request.params.resultId),
  )

  app.get(
    '/v1/typebots/:typebotId/results/:resultId/logs',
    {
      onRequest: guard.onRequest,
      schema: {
        summary: 'List result logs',
        tags,
        security: bearerSecurity,
        params: resultParamsSchema,
        response: { 200: listLogsResponseSchema },
      },
    },
    async (request) => {
      const typebot = await requireTypebotAccess(store, guard.userOf(request), request.params.typebotId, 'read')
      const result = await findResultOfTypebot(store, typebot.id, request.params.resultId)
      const logs = await store.listLogs(result.id)
      return {
        logs: logs.map(({ id, createdAt, resultId, status, description, details, context }) => ({
          id,
          createdAt,
          resultId,
          status,
          description,
          details,
          context,
        })),
      }
    },
  )

  app.delete(
    '/v1/typebots/:typebotId/results',
    {
      onRequest: guard.onRequest,
      schema: {
        summary: 'Delete results',
        description:
          'Deletes the listed results with their answers, logs and uploaded files. `resultIds` may come in the JSON body (as in Typebot) or the query string (both: their union); without it, every result of the typebot.',
        tags,
        security: bearerSecurity,
        params: typebotParamsSchema,
        querystring: deleteResultsQuerySchema,
        body: deleteResultsBodySchema.optional(),
        response: { 200: deleteResultsResponseSchema },
      },
    },
    async (request) => {
      const typebot = await requireTypebotAccess(store, guard.userOf(request), request.params.typebotId, 'write')
      const resultIds = toResultIds(request.query.resultIds, request.body?.resultIds)
      const deletedCount = await deleteResultsWithFiles(deps, typebot.id, resultIds)
      return { message: 'success' as const, deletedCount }
    },
  )
}

/** undefined only when neither the query nor the body names any: that alone means "all". */
function toResultIds(fromQuery: string | undefined, fromBody: string | string[] | undefined): string[] | undefined {
  if (fromQuery === undefined && fromBody === undefined) return undefined
  const listed = [...(fromQuery?.split(',') ?? []), ...(typeof fromBody === 'string' ? fromBody.split(',') : (fromBody ?? []))]
  return [...new Set(listed.map((id) => id.trim()).filter(Boolean))]
}

async function findResultOfTypebot(store: Store, typebotId: string, resultId: string): Promise<ResultRecord> {
  const result = await store.findResult(resultId)
  if (!result || result.typebotId !== typebotId) throw new AppError('NOT_FOUND', 'Result not found')
  return result
}

async function toResult(store: Store, result: ResultRecord) {
  return toResultView(result, await store.listAnswers(result.id))
}
