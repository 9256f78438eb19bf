/**
 * The shared part of the fake AI providers (fake-openai-server.ts, fake-anthropic-server.ts): an
 * HTTP server on 127.0.0.1 that records every request and answers with scripted replies, in order
 * (then the default reply). The wire formats live in the provider files.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { listenLocally, readBody } from './local-server.js'

export type RecordedAiRequest = { method: string; path: string; headers: IncomingMessage['headers']; body: any; rawBody: string }

/** What the fake answers next. Text replies are streamed (SSE) when the request asks for a stream. */
export type FakeReply =
  | { kind: 'text'; text: string; chunks?: string[]; usage?: { input: number; output: number } }
  | { kind: 'toolCall'; name: string; input: Record<string, unknown> }
  | { kind: 'error'; status: number; message: string }
  /** Waits before answering (timeouts). */
  | { kind: 'slow'; delayMs: number; reply: FakeReply }
  /** Streams these chunks, then drops the connection. */
  | { kind: 'cut'; chunks: string[] }
  /** Streams every chunk but the last, which waits for `release()` (browser tests watch the bubble grow). */
  | { kind: 'held'; chunks: string[]; released: Promise<void> }

export type ReplyWriter = (request: RecordedAiRequest, reply: FakeReply, response: ServerResponse) => Promise<void>

export type FakeAiServer = {
  /** The base URL to put in credentials (`http://127.0.0.1:port/v1`). */
  baseUrl: string
  origin: string
  requests: RecordedAiRequest[]
  /** Queues replies for the next requests. */
  reply(...replies: FakeReply[]): void
  /** Drops the replies still queued. */
  clearReplies(): void
  close(): Promise<void>
}

export async function startFakeAiServer(write: ReplyWriter, defaultReply: FakeReply): Promise<FakeAiServer> {
  const requests: RecordedAiRequest[] = []
  const queue: FakeReply[] = []
  const server = await listenLocally(async (request, response) => {
    const rawBody = await readBody(request)
    const recorded: RecordedAiRequest = {
      method: request.method ?? 'GET',
      path: request.url ?? '/',
      headers: request.headers,
      body: parseJsonOr(rawBody),
      rawBody,
    }
    requests.push(recorded)
    // Downloads (GET) do not use up scripted replies.
    let reply = (request.method === 'GET' ? undefined : queue.shift()) ?? defaultReply
    while (reply.kind === 'slow') {
      await new Promise((resolve) => setTimeout(resolve, (reply as { delayMs: number }).delayMs))
      if (response.destroyed || request.destroyed) return
      reply = reply.reply
    }
    await write(recorded, reply, response).catch(() => response.destroy())
  })
  return {
    baseUrl: `${server.origin}/v1`,
    origin: server.origin,
    requests,
    reply: (...replies) => queue.push(...replies),
    clearReplies: () => queue.splice(0),
    close: server.close,
  }
}

/** Providers send `retry-after-ms`; 0 lets the AI SDK's retries run at once in tests. */
export function writeJson(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { 'content-type': 'application/json', ...(status >= 400 ? { 'retry-after-ms': '0' } : {}) })
  response.end(JSON.stringify(body))
}

export function startEventStream(response: ServerResponse) {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
}

/** Streams `chunks` with `writeChunk`; a held reply waits before its last chunk, a cut one drops the line. */
export async function streamChunks(
  reply: FakeReply,
  writeChunk: (text: string) => void,
  response: ServerResponse,
): Promise<'done' | 'cut'> {
  const chunks = reply.kind === 'text' ? (reply.chunks ?? [reply.text]) : reply.kind === 'cut' || reply.kind === 'held' ? reply.chunks : []
  for (const [index, chunk] of chunks.entries()) {
    if (reply.kind === 'held' && index === chunks.length - 1) await reply.released
    writeChunk(chunk)
  }
  if (reply.kind === 'cut') {
    await new Promise((resolve) => setTimeout(resolve, 20))
    response.destroy()
    return 'cut'
  }
  return 'done'
}

export function textOfReply(reply: FakeReply): string {
  if (reply.kind === 'text') return reply.text
  if (reply.kind === 'cut' || reply.kind === 'held') return reply.chunks.join('')
  return ''
}

function parseJsonOr(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}
