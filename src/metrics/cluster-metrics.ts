import cluster, { type Worker } from 'node:cluster'
import { AggregatorRegistry, type Registry } from 'prom-client'

const requestType = 'botflow:metrics-request'
const responseType = 'botflow:metrics-response'
const answerTimeoutMs = 5_000

type MetricsRequest = { type: typeof requestType; id: number }
type MetricsResponse = { type: typeof responseType; id: number; text?: string; error?: string }

/**
 * In a worker of `serve --workers N`: the primary can collect this worker's registry (prom-client's
 * own messages), and `read()` asks the primary for every worker's metrics added up, since a scrape
 * reaches one worker only.
 */
export function joinClusterMetrics(registry: Registry): { read(): Promise<string> } {
  AggregatorRegistry.setRegistries([registry])
  // Constructing one installs prom-client's listener that answers the primary.
  new AggregatorRegistry()
  let nextId = 0
  const pending = new Map<number, (response: MetricsResponse) => void>()
  process.on('message', (message: unknown) => {
    if (!isMessage<MetricsResponse>(message, responseType)) return
    pending.get(message.id)?.(message)
  })
  return {
    read() {
      const id = nextId++
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id)
          reject(new Error('The primary process did not answer with the metrics'))
        }, answerTimeoutMs)
        pending.set(id, (response) => {
          clearTimeout(timer)
          pending.delete(id)
          if (response.text === undefined) reject(new Error(response.error ?? 'No metrics'))
          else resolve(response.text)
        })
        process.send?.({ type: requestType, id } satisfies MetricsRequest)
      })
    },
  }
}

/** In the primary: answers workers' requests with the metrics of all workers, then the primary's own. */
export function serveClusterMetrics(primaryRegistry: Registry): void {
  const aggregator = new AggregatorRegistry()
  cluster.on('message', (worker: Worker, message: unknown) => {
    if (!isMessage<MetricsRequest>(message, requestType)) return
    Promise.all([aggregator.clusterMetrics(), primaryRegistry.metrics()]).then(
      ([workers, primary]) => send(worker, { type: responseType, id: message.id, text: `${workers}\n${primary}` }),
      (error: unknown) => send(worker, { type: responseType, id: message.id, error: String(error) }),
    )
  })
}

function send(worker: Worker, response: MetricsResponse) {
  if (worker.isConnected()) worker.send(response)
}

function isMessage<T extends { type: string }>(message: unknown, type: T['type']): message is T {
  return typeof message === 'object' && message !== null && 'type' in message && message.type === type
}
