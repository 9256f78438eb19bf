import autocannon, { type AutocannonRequest, type AutocannonResult } from 'autocannon'
import { sampleRss } from './process-memory.js'

/** One load: a request shape, spread round-robin over `paths`, at a number of connections. */
export type LoadSpec = {
  method: 'GET' | 'POST'
  paths: readonly string[]
  body?: string
  headers?: Record<string, string>
  connections: number
  /** Seconds of load; ignored when `amount` is set. */
  durationSeconds: number
  /** Stop after this many requests instead of after a duration... */
  amount?: number
  /** ...or after this many seconds, whichever comes first (keeps the run bounded on a slow server). */
  maxSeconds?: number
}

export type LoadResult = {
  connections: number
  requestsPerSecond: number
  totalRequests: number
  p50Ms: number
  p99Ms: number
  meanMs: number
  /** Non-2xx answers, socket errors and timeouts. */
  errors: number
  /** What the errors were, e.g. "409 x3, timeout x2"; empty without errors. */
  errorKinds: string
  /** 2xx answers. */
  succeeded: number
  peakRssBytes?: number
}

/** Drives the load with autocannon (in this process; the server is another one) and samples the server's RSS meanwhile. */
export async function runLoad(baseUrl: string, spec: LoadSpec, serverPid?: number): Promise<LoadResult> {
  let next = 0
  // Every connection takes the next path in turn, so concurrent requests go to different sessions.
  const pickPath = (request: AutocannonRequest): AutocannonRequest => {
    request.path = spec.paths[next++ % spec.paths.length]
    return request
  }
  const sampler = serverPid === undefined ? undefined : sampleRss(serverPid)
  let watchdog: NodeJS.Timeout | undefined
  try {
    const instance = autocannon({
      url: baseUrl,
      connections: spec.connections,
      duration: spec.durationSeconds,
      amount: spec.amount,
      timeout: 10,
      requests: [
        {
          method: spec.method,
          path: spec.paths[0],
          body: spec.body,
          headers: { ...(spec.body === undefined ? {} : { 'content-type': 'application/json' }), ...spec.headers },
          setupRequest: pickPath,
        },
      ],
    })
    if (spec.amount !== undefined && spec.maxSeconds !== undefined) watchdog = setTimeout(() => instance.stop(), spec.maxSeconds * 1000)
    const result = await instance
    const succeeded = result['2xx']
    return {
      connections: spec.connections,
      // Only 2xx count: a server that fails fast must not look fast.
      requestsPerSecond: result.duration > 0 ? succeeded / result.duration : 0,
      totalRequests: result.requests.total,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      meanMs: result.latency.mean,
      // autocannon's errors include its timeouts.
      errors: result.non2xx + result.errors,
      errorKinds: describeErrors(result),
      succeeded,
      peakRssBytes: sampler?.stop(),
    }
  } finally {
    clearTimeout(watchdog)
    sampler?.stop()
  }
}

function describeErrors(result: AutocannonResult): string {
  const kinds = Object.entries(result.statusCodeStats)
    .filter(([status]) => !status.startsWith('2'))
    .map(([status, { count }]) => `${status} x${count}`)
  const socketErrors = result.errors - result.timeouts
  if (result.timeouts > 0) kinds.push(`timeout x${result.timeouts}`)
  if (socketErrors > 0) kinds.push(`socket error x${socketErrors}`)
  return kinds.join(', ')
}
