import { requireTypebotAccess } from '../../access.js'
import { AppError } from '../../errors.js'
import { assertTimeZone, toTimeRange } from '../../results/time-filter.js'
import { statsQuerySchema, statsResponseSchema, typebotParamsSchema } from '../../schemas/management-api.js'
import type { AppDeps } from '../app.js'
import { bearerSecurity, createUserGuard } from '../require-user.js'
import type { TypedApp } from '../typed-app.js'

/** Typebot's analytics counters, from the results botflow keeps (no separate view tracking). */
export function registerAnalyticsRoutes(app: TypedApp, deps: AppDeps) {
  const { store } = deps
  const guard = createUserGuard(store)

  app.get(
    '/v1/typebots/:typebotId/analytics/stats',
    {
      onRequest: guard.onRequest,
      schema: {
        summary: 'Get results stats',
        description:
          'Counts of the results created in the period: views (chats started), starts (at least one answer), completed. 404 when the typebot is not published, as in Typebot.',
        tags: ['Analytics'],
        security: bearerSecurity,
        params: typebotParamsSchema,
        querystring: statsQuerySchema,
        response: { 200: statsResponseSchema },
      },
    },
    async (request) => {
      const typebot = await requireTypebotAccess(store, guard.userOf(request), request.params.typebotId, 'read')
      if (!typebot.publishedVersionId) throw new AppError('NOT_FOUND', 'Published typebot not found')
      const { timeFilter, timeZone } = request.query
      assertTimeZone(timeZone)
      const { from: createdFrom, to: createdTo } = toTimeRange(timeFilter, timeZone, Date.now())
      const counts = await store.analytics.countResults(typebot.id, { createdFrom, createdTo })
      return { stats: { totalViews: counts.total, totalStarts: counts.started, totalCompleted: counts.completed } }
    },
  )
}
