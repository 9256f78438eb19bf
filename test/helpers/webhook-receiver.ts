/**
 * A webhook receiver on 127.0.0.1, written the way a subscriber writes one: it checks the
 * `X-Botflow-Signature` of every delivery with the subscription's secret (and refuses old
 * timestamps), and records what it got. `mode` decides the answer: 200, 500, or none at all
 * (`hold`: the request stays open, as with a receiver that hangs).
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export type ReceivedDelivery = {
  eventId: string
  eventType: string
  body: any
  rawBody: string
  headers: IncomingMessage['headers']
  isSignatureValid: boolean
  answeredStatus?: number
}

export type WebhookReceiver = {
  url: string
  mode: 'ok' | 'fail' | 'hold'
  /** The subscription's secret, once known: signatures are checked with it. */
  secret?: string
  received: ReceivedDelivery[]
  /** Deliveries answered with a 2xx: what the receiver handled. */
  acknowledged(): ReceivedDelivery[]
  /** Stops listening (connections refused) until `start`; held requests are dropped. */
  stop(): Promise<void>
  start(): Promise<void>
  waitFor(predicate: (received: ReceivedDelivery[]) => boolean, timeoutMs?: number): Promise<ReceivedDelivery[]>
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  let server: Server | undefined
  let port = 0
  const held = new Set<ServerResponse>()
  const receiver: WebhookReceiver = {
    url: '',
    mode: 'ok',
    received: [],
    acknowledged: () => receiver.received.filter((delivery) => delivery.answeredStatus !== undefined && delivery.answeredStatus < 300),
    async stop() {
      for (const response of held) response.destroy()
      held.clear()
      const current = server
      server = undefined
      if (current) {
        const closed = new Promise<void>((resolve) => current.close(() => resolve()))
        current.closeAllConnections()
        await closed
      }
    },
    async start() {
      server = createServer((request, response) => handle(receiver, held, request, response))
      await new Promise<void>((resolve) => server?.listen(port, '127.0.0.1', resolve))
      port = (server.address() as AddressInfo).port
      receiver.url = `http://127.0.0.1:${port}/hooks`
    },
    async waitFor(predicate, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs
      while (!predicate(receiver.received)) {
        if (Date.now() > deadline)
          throw new Error(`webhook receiver: timed out; got ${JSON.stringify(receiver.received.map((r) => r.eventType))}`)
        await new Promise((resolve) => setTimeout(resolve, 25))
      }
      return receiver.received
    },
  }
  await receiver.start()
  return receiver
}

function handle(receiver: WebhookReceiver, held: Set<ServerResponse>, request: IncomingMessage, response: ServerResponse) {
  const chunks: Buffer[] = []
  request.on('data', (chunk: Buffer) => chunks.push(chunk))
  request.on('end', () => {
    const rawBody = Buffer.concat(chunks).toString('utf8')
    const body = JSON.parse(rawBody)
    const delivery: ReceivedDelivery = {
      eventId: String(request.headers['x-botflow-event-id']),
      eventType: String(request.headers['x-botflow-event']),
      body,
      rawBody,
      headers: request.headers,
      isSignatureValid:
        receiver.secret !== undefined && verifySignature(String(request.headers['x-botflow-signature']), rawBody, receiver.secret),
    }
    receiver.received.push(delivery)
    if (receiver.mode === 'hold') {
      held.add(response)
      return
    }
    delivery.answeredStatus = receiver.mode === 'ok' ? 200 : 500
    response.writeHead(delivery.answeredStatus, { 'content-type': 'application/json' }).end('{}')
  })
}

/** What a subscriber does with `X-Botflow-Signature` (Stripe's scheme): recompute, compare in constant time, refuse old ones. */
export function verifySignature(header: string, rawBody: string, secret: string, toleranceSeconds = 300): boolean {
  const parts = Object.fromEntries(header.split(',').map((part) => part.split('=') as [string, string]))
  const timestamp = Number(parts.t)
  const given = parts.v1
  if (!Number.isInteger(timestamp) || !given || Math.abs(Date.now() / 1000 - timestamp) > toleranceSeconds) return false
  const expected = createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')
  return given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected))
}
