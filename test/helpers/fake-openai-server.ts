/**
 * A fake OpenAI-compatible server: `POST /v1/chat/completions` in OpenAI's wire format (a JSON
 * completion, or SSE `data:` chunks ending with `[DONE]` when the request streams), the
 * Responses API (`/v1/responses`), speech (`/v1/audio/speech` answers MP3 bytes) and
 * transcriptions (`GET /audio/...` serves a file to transcribe, `GET /images/...` a picture, any
 * other GET a page), with OpenAI's error bodies. Mistral, Groq, OpenRouter... speak the same
 * chat format.
 */
import type { ServerResponse } from 'node:http'
import {
  type FakeAiServer,
  type FakeReply,
  type RecordedAiRequest,
  startEventStream,
  startFakeAiServer,
  streamChunks,
  textOfReply,
  writeJson,
} from './fake-ai-server.js'

export const fakeOpenAiDefaultAnswer = 'Hello from the fake model'

/** The audio `/audio/speech` answers: an MP3 frame header, then bytes no text decoding keeps intact. */
export const fakeSpeechBytes = Buffer.from([0xff, 0xf3, 0x44, 0xc4, 0x00, 0x00, 0x00, 0x03, 0x48, 0x00, 0x80, 0xfe, 0x7f, 0x00])

export function startFakeOpenAiServer(): Promise<FakeAiServer> {
  return startFakeAiServer(writeOpenAiReply, { kind: 'text', text: fakeOpenAiDefaultAnswer })
}

let sequence = 0

async function writeOpenAiReply(request: RecordedAiRequest, reply: FakeReply, response: ServerResponse) {
  // A file to transcribe, served like any audio URL.
  if (request.method === 'GET' && request.path.startsWith('/audio/')) {
    response.writeHead(200, { 'content-type': 'audio/mpeg' })
    return void response.end(Buffer.from('ID3 fake audio bytes'))
  }
  // Pictures and pages a user may paste, for models that read images.
  if (request.method === 'GET') {
    const isImage = request.path.startsWith('/images/')
    response.writeHead(200, { 'content-type': isImage ? 'image/png' : 'text/html' })
    return void response.end(isImage ? Buffer.from([0x89, 0x50, 0x4e, 0x47]) : '<p>a page</p>')
  }
  if (reply.kind === 'error') {
    const type = reply.status === 401 ? 'invalid_request_error' : reply.status === 429 ? 'rate_limit_exceeded' : 'server_error'
    return writeJson(response, reply.status, { error: { message: reply.message, type, param: null, code: null } })
  }
  if (request.path.endsWith('/audio/transcriptions')) return writeJson(response, 200, { text: textOfReply(reply) })
  // OpenAI answers speech with the bare audio file (MP3 unless `response_format` asks otherwise).
  if (request.path.endsWith('/audio/speech')) {
    response.writeHead(200, { 'content-type': 'audio/mpeg', 'transfer-encoding': 'chunked' })
    return void response.end(fakeSpeechBytes)
  }
  if (request.path.endsWith('/responses')) return writeResponsesReply(request, reply, response)
  const id = `chatcmpl-${++sequence}`
  const model = String(request.body?.model ?? 'unknown')
  const usage = usageOf(reply)
  if (request.body?.stream !== true) {
    const message =
      reply.kind === 'toolCall'
        ? {
            role: 'assistant',
            content: null,
            tool_calls: [
              { id: `call_${sequence}`, type: 'function', function: { name: reply.name, arguments: JSON.stringify(reply.input) } },
            ],
          }
        : { role: 'assistant', content: textOfReply(reply) }
    const body = JSON.stringify({
      id,
      object: 'chat.completion',
      created: 1_700_000_000,
      model,
      choices: [{ index: 0, message, finish_reason: reply.kind === 'toolCall' ? 'tool_calls' : 'stop' }],
      usage,
    })
    if (reply.kind === 'cut') {
      response.writeHead(200, { 'content-type': 'application/json' })
      response.write(body.slice(0, 40))
      return void setTimeout(() => response.destroy(), 20)
    }
    response.writeHead(200, { 'content-type': 'application/json' })
    return void response.end(body)
  }
  startEventStream(response)
  const send = (delta: Record<string, unknown>, finishReason: string | null, extra: Record<string, unknown> = {}) =>
    response.write(
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 1_700_000_000, model, choices: [{ index: 0, delta, finish_reason: finishReason }], ...extra })}\n\n`,
    )
  if (reply.kind === 'toolCall') {
    send(
      {
        role: 'assistant',
        tool_calls: [
          { index: 0, id: `call_${sequence}`, type: 'function', function: { name: reply.name, arguments: JSON.stringify(reply.input) } },
        ],
      },
      null,
    )
    send({}, 'tool_calls')
  } else {
    send({ role: 'assistant', content: '' }, null)
    if ((await streamChunks(reply, (text) => send({ content: text }, null), response)) === 'cut') return
    send({}, 'stop')
  }
  if (request.body?.stream_options?.include_usage) {
    response.write(
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 1_700_000_000, model, choices: [], usage })}\n\n`,
    )
  }
  response.end('data: [DONE]\n\n')
}

function usageOf(reply: FakeReply) {
  const input = reply.kind === 'text' ? (reply.usage?.input ?? 11) : 11
  const output = reply.kind === 'text' ? (reply.usage?.output ?? 7) : 7
  return { prompt_tokens: input, completion_tokens: output, total_tokens: input + output }
}

/** The Responses API (Ask Model), JSON only. */
function writeResponsesReply(request: RecordedAiRequest, reply: FakeReply, response: ServerResponse) {
  const id = `resp_${++sequence}`
  const usage = usageOf(reply)
  writeJson(response, 200, {
    id,
    object: 'response',
    created_at: 1_700_000_000,
    status: 'completed',
    model: String(request.body?.model ?? 'unknown'),
    output: [
      {
        type: 'message',
        id: `msg_${sequence}`,
        status: 'completed',
        role: 'assistant',
        content: [{ type: 'output_text', text: textOfReply(reply), annotations: [] }],
      },
    ],
    usage: { input_tokens: usage.prompt_tokens, output_tokens: usage.completion_tokens, total_tokens: usage.total_tokens },
  })
}
