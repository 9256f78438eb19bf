import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'

/**
 * `GET /api/docs`: Swagger UI over the OpenAPI document the routes generate, served from the npm
 * package (no CDN, and no validator.swagger.io badge: without `validatorUrl` the page talks to this
 * server only). Its spec route (`/api/docs/json`) is the same document as `/api/openapi.json`.
 */
export async function registerDocsRoutes(app: FastifyInstance) {
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    uiConfig: {
      deepLinking: true,
      docExpansion: 'list',
      defaultModelsExpandDepth: 0,
      tryItOutEnabled: false,
    },
    theme: { title: 'botflow API reference' },
  })
}
