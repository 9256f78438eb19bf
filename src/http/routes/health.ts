import { z } from 'zod'
import { AppError } from '../../errors.js'
import { errorBodySchema } from '../../schemas/chat-api.js'
import type { Store } from '../../storage/store.js'
import type { TypedApp } from '../typed-app.js'

export function registerHealthRoutes(app: TypedApp, deps: { store: Store }) {
  app.get(
    '/healthz',
    {
      schema: {
        summary: 'Health check',
        description: 'Liveness: the process answers. It does not touch the database.',
        tags: ['Health'],
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  )

  app.get(
    '/readyz',
    {
      schema: {
        summary: 'Readiness check',
        description: 'Ready to serve: the database answers and every migration of this version has run. 503 otherwise.',
        tags: ['Health'],
        response: { 200: z.object({ status: z.literal('ready') }), 503: errorBodySchema },
      },
    },
    async () => {
      const readiness = await deps.store.readiness()
      if (!readiness.isReady) throw new AppError('UNAVAILABLE', `Not ready: ${readiness.reason}`)
      return { status: 'ready' as const }
    },
  )
}
