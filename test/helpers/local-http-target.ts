/**
 * A local HTTP server on 127.0.0.1 (port 0) that HTTP request blocks call in tests, the way
 * Typebot's own tests call `/api/mock/*`: `mirror-body` answers the JSON body it got, `fail`
 * answers 500. Every request is recorded.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { listenLocally, readBody } from './local-server.js'

export type RecordedRequest = { method: string; path: string; headers: IncomingMessage['headers']; body: string }

export async function startLocalHttpTarget() {
  const requests: RecordedRequest[] = []
  const server = await listenLocally(async (request, response) => {
    const body = await readBody(request)
    const path = request.url ?? '/'
    requests.push({ method: request.method ?? 'GET', path, headers: request.headers, body })
    answer(path, body, response)
  })
  return { origin: server.origin, requests, close: server.close }
}

function answer(path: string, body: string, response: ServerResponse) {
  if (path.startsWith('/api/mock/mirror-body')) {
    response.writeHead(200, { 'content-type': 'application/json' }).end(body || '{}')
    return
  }
  if (path.startsWith('/api/mock/fail')) {
    response.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"fail"}')
    return
  }
  response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}')
}

/** A typebot document with every `http://localhost:3000` URL pointed at `origin`. */
export function retarget(document: Record<string, unknown>, origin: string): Record<string, unknown> {
  return JSON.parse(JSON.stringify(document).split('http://localhost:3000').join(origin)) as Record<string, unknown>
}
