import rateLimit, { type FastifyRateLimitStore, normalizeIP } from '@fastify/rate-limit'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { RateLimitName } from '../config.js'
import { AppError } from '../errors.js'
import { recordOf } from '../json-record.js'
import type { AppDeps } from './app.js'
import type { RateLimitCounters } from './rate-limit-counters.js'

/** Every limit counts requests per minute, in windows aligned on the clock. */
const windowMs = 60_000

/** What each named limit counts by: the client's address (IPv6 by /64, as one host has them all) or the session. */
const keyOf: Record<RateLimitName, (request: FastifyRequest) => string> = {
  newSessionsPerIp: clientAddressOf,
  repliesPerIp: clientAddressOf,
  repliesPerSession: sessionIdOf,
  clientLogsPerIp: clientAddressOf,
  uploadsPerIp: clientAddressOf,
}

/**
 * Registers `@fastify/rate-limit` over the shared counters. It limits no route by itself
 * (`global: false`): routes ask for named limits with `rateLimitHooks`.
 */
export async function registerRateLimits(app: FastifyInstance, counters: RateLimitCounters) {
  // The plugin builds its store with `new`; this one answers from the counters' memory.
  class SharedCountersStore implements FastifyRateLimitStore {
    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number, max: number) {
      const { current, resetInMs } = counters.hit(key, timeWindow, max)
      callback(null, { current, ttl: resetInMs })
    }
    child() {
      return this
    }
  }
  await app.register(rateLimit, { global: false, store: SharedCountersStore })
}

/**
 * The `onRequest` hooks that apply these named limits to a route, checked in order before the body
 * is read: over a limit, 429 TOO_MANY_REQUESTS with `Retry-After` (seconds to the window's end).
 * No hook at all with RATE_LIMIT=off. The plugin's route option holds one limit, and two of its
 * hooks on a route share one "already checked" flag, hence its `createRateLimit` here.
 */
export function rateLimitHooks(
  app: Pick<FastifyInstance, 'createRateLimit'>,
  deps: Pick<AppDeps, 'rateLimit' | 'rateLimitCounters'>,
  names: RateLimitName[],
) {
  if (!deps.rateLimit.isEnabled || !deps.rateLimitCounters) return []
  const limiters = names.map((name) =>
    app.createRateLimit({
      max: deps.rateLimit.perMinute[name],
      timeWindow: windowMs,
      keyGenerator: (request) => `${name}:${keyOf[name](request)}`,
    }),
  )
  return [
    async (request: FastifyRequest, reply: FastifyReply) => {
      for (const limiter of limiters) {
        const limit = await limiter(request)
        if (limit.isAllowed || !limit.isExceeded) continue
        reply.header('retry-after', String(limit.ttlInSeconds))
        throw new AppError('TOO_MANY_REQUESTS', `Too many requests: retry in ${limit.ttlInSeconds} s`)
      }
    },
  ]
}

function clientAddressOf(request: FastifyRequest): string {
  return normalizeIP(request.ip)
}

/** Session ids are letters and digits; anything else (a forged id) is folded so keys stay plain text. */
function sessionIdOf(request: FastifyRequest): string {
  const { sessionId } = recordOf(request.params)
  return typeof sessionId === 'string' ? sessionId.replace(/[^\w-]/g, '_') : ''
}
