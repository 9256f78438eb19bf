import type { FastifyInstance } from 'fastify'
import { AppError } from '../errors.js'

/**
 * Once the server begins closing, a request that still arrives (on a connection that was busy when
 * the shutdown began) gets a 503 in our error envelope, so a load balancer retries it elsewhere;
 * Fastify's own 503 has another body. Fastify adds `Connection: close` to it.
 */
export function refuseRequestsWhileClosing(app: FastifyInstance) {
  let isClosing = false
  app.addHook('preClose', async () => {
    isClosing = true
  })
  app.addHook('onRequest', async () => {
    if (isClosing) throw new AppError('UNAVAILABLE', 'The server is shutting down')
  })
}
