import type { TypedApp } from '../typed-app.js'

export function registerOpenApiRoutes(app: TypedApp) {
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
}
