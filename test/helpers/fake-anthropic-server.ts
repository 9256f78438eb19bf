/**
 * A fake Anthropic Messages API: `POST /v1/messages` answers a JSON message, or when the request
 * streams, the SSE events Anthropic sends (message_start, content_block_start/delta/stop,
 * message_delta, message_stop), with Anthropic's error bodies.
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

export const fakeAnthropicDefaultAnswer = 'Bonjour from the fake Claude'

export function startFakeAnthropicServer(): Promise<FakeAiServer> {
  return startFakeAiServer(writeAnthropicReply, { kind: 'text', text: fakeAnthropicDefaultAnswer })
}

let sequence = 0

async function writeAnthropicReply(request: RecordedAiRequest, reply: FakeReply, response: ServerResponse) {
  if (reply.kind === 'error') {
    const type = reply.status === 401 ? 'authentication_error' : reply.status === 429 ? 'rate_limit_error' : 'api_error'
    return writeJson(response, reply.status, { type: 'error', error: { type, message: reply.message } })
  }
  const id = `msg_${++sequence}`
  const model = String(request.body?.model ?? 'unknown')
  const inputTokens = reply.kind === 'text' ? (reply.usage?.input ?? 13) : 13
  const outputTokens = reply.kind === 'text' ? (reply.usage?.output ?? 5) : 5
  const content =
    reply.kind === 'toolCall'
      ? [{ type: 'tool_use', id: `toolu_${sequence}`, name: reply.name, input: reply.input }]
      : [{ type: 'text', text: textOfReply(reply) }]
  const stopReason = reply.kind === 'toolCall' ? 'tool_use' : 'end_turn'
  if (request.body?.stream !== true) {
    return writeJson(response, 200, {
      id,
      type: 'message',
      role: 'assistant',
      model,
      content,
      stop_reason: stopReason,
      stop_sequence: null,
      usage: { input_tokens: inputTokens, output_tokens: outputTokens },
    })
  }
  startEventStream(response)
  const event = (type: string, data: Record<string, unknown>) =>
    response.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`)
  event('message_start', {
    message: {
      id,
      type: 'message',
      role: 'assistant',
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: inputTokens, output_tokens: 1 },
    },
  })
  if (reply.kind === 'toolCall') {
    event('content_block_start', { index: 0, content_block: { type: 'tool_use', id: `toolu_${sequence}`, name: reply.name, input: {} } })
    event('content_block_delta', { index: 0, delta: { type: 'input_json_delta', partial_json: JSON.stringify(reply.input) } })
  } else {
    event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } })
    const ended = await streamChunks(
      reply,
      (text) => event('content_block_delta', { index: 0, delta: { type: 'text_delta', text } }),
      response,
    )
    if (ended === 'cut') return
  }
  event('content_block_stop', { index: 0 })
  event('message_delta', { delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: outputTokens } })
  event('message_stop', {})
  response.end()
}
