import { z } from 'zod'
import type { TypedApp } from '../typed-app.js'

export function registerHealthRoutes(app: TypedApp) {
  app.get(
    '/healthz',
    {
      schema: {
        summary: 'Health check',
        tags: ['Health'],
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  )
}
