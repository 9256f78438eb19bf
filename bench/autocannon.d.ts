/** The slice of autocannon's programmatic API the benchmark uses (the package ships no types). */
declare module 'autocannon' {
  export type AutocannonRequest = {
    method?: string
    path?: string
    headers?: Record<string, string>
    body?: string
    setupRequest?: (request: AutocannonRequest, context: Record<string, unknown>) => AutocannonRequest
  }

  export type AutocannonOptions = AutocannonRequest & {
    url: string
    connections?: number
    duration?: number
    amount?: number
    timeout?: number
    requests?: AutocannonRequest[]
  }

  export type Histogram = {
    average: number
    mean: number
    stddev: number
    min: number
    max: number
    p50: number
    p90: number
    p99: number
    total: number
  }

  export type AutocannonResult = {
    duration: number
    errors: number
    timeouts: number
    non2xx: number
    '2xx': number
    statusCodeStats: Record<string, { count: number }>
    latency: Histogram
    requests: Histogram
  }

  export type AutocannonInstance = PromiseLike<AutocannonResult> & { stop(): void }

  function autocannon(options: AutocannonOptions): AutocannonInstance
  export default autocannon
}
