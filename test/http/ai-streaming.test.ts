/**
 * Streaming as Typebot's web embed does it (§3.7, §7.5.2): a session started with
 * isStreamEnabled gets a `stream` action instead of a server-side answer, reads the answer from
 * streamMessage line by line, then sends the whole text with continueChat; the streamed bubble is
 * not sent twice and token counts are saved before the stream ends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addCredentials, aiFlow, chatOptions, forgedAiBlock } from '../helpers/ai-flows.js'
import { createChatClient, startConversation, textsOf } from '../helpers/chat-conversation.js'
import { importAndPublish } from '../helpers/chat-fixtures.js'
import type { FakeAiServer } from '../helpers/fake-ai-server.js'
import { startFakeAnthropicServer } from '../helpers/fake-anthropic-server.js'
import { startFakeOpenAiServer } from '../helpers/fake-openai-server.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { createTestUser, type TestUser } from '../helpers/users.js'

let server: TestServer
let openai: FakeAiServer
let anthropic: FakeAiServer
let owner: TestUser
let typebotId: string

beforeAll(async () => {
  openai = await startFakeOpenAiServer()
  anthropic = await startFakeAnthropicServer()
  server = await startTestServer({ ALLOW_PRIVATE_HTTP_TARGETS: 'true' })
  owner = await createTestUser(server)
  await addCredentials(owner, 'openai', { apiKey: 'sk-stream', baseUrl: openai.baseUrl })
  await addCredentials(owner, 'anthropic', { apiKey: 'sk-ant-stream', baseUrl: anthropic.baseUrl })
  const anthropicOptions = chatOptions({ action: 'Create Chat Message', model: 'claude-haiku-4-5' })
  ;[typebotId = ''] = await importAndPublish(owner, [
    { fixture: aiFlow(forgedAiBlock('openai', chatOptions())), publicId: 'stream-openai' },
    { fixture: aiFlow(forgedAiBlock('anthropic', anthropicOptions)), publicId: 'stream-anthropic' },
    { fixture: aiFlow(forgedAiBlock('openai', chatOptions()), { answerBubble: 'Answer: {{Answer}}' }), publicId: 'stream-not-first' },
  ])
})
afterAll(async () => {
  await server.close()
  await openai.close()
  await anthropic.close()
})

const streamAction = { type: 'stream', stream: true, expectsDedicatedReply: true }

async function streamMessage(sessionId: string, body: unknown = {}) {
  const response = await fetch(`${server.url}/api/v2/sessions/${sessionId}/streamMessage`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: 'https://customer.example' },
    body: JSON.stringify(body),
  })
  const text = await response.text()
  return { response, text, lines: text.split('\n').filter((line) => line !== '') }
}

/** The text the embed shows: every `0:` part, in order. */
function streamedText(lines: string[]): string {
  return lines
    .filter((line) => line.startsWith('0:'))
    .map((line) => JSON.parse(line.slice(2)))
    .join('')
}

async function startStreaming(publicId: string) {
  const chat = createChatClient(owner.call)
  const conversation = await startConversation(chat, publicId, { isStreamEnabled: true })
  const asked = await conversation.reply('Tell me something')
  return { ...conversation, asked }
}

describe('streaming', () => {
  it('asks the client to stream, streams the answer, saves the tokens, and does not send the bubble twice', async () => {
    openai.reply({ kind: 'text', text: 'Hello stream world', chunks: ['Hel', 'lo stream', ' world'], usage: { input: 20, output: 3 } })
    const { sessionId, asked, reply } = await startStreaming('stream-openai')
    expect(asked.body).toEqual({ messages: [], clientSideActions: [streamAction], logs: [] })

    const sent = openai.requests.length
    const streamed = await streamMessage(sessionId, { messages: [{ role: 'user', content: 'ignored' }] })
    expect(streamed.response.status).toBe(200)
    expect(streamed.response.headers.get('content-type')).toBe('text/plain; charset=utf-8')
    expect(streamed.response.headers.get('access-control-allow-origin')).toBe('*')
    expect(streamed.lines).toEqual(['0:"Hel"', '0:"lo stream"', '0:" world"', 'd:{"finishReason":"stop"}'])
    expect(openai.requests[sent]?.body).toMatchObject({
      model: 'gpt-4o-mini',
      stream: true,
      messages: [
        { role: 'system', content: 'You are a helpful assistant.' },
        { role: 'user', content: 'Tell me something' },
      ],
    })

    // The token counts are in the session before the client's next message.
    const session = await owner.call('GET', `/v1/sessions/${sessionId}`)
    expect(session.body.session.variables).toContainEqual({ id: 'v-tokens', name: 'Tokens', value: '23' })

    const next = await reply(streamedText(streamed.lines))
    expect(textsOf(next)).toEqual(['Tokens: 23'])
    expect(next.body.input.id).toBe('i-next')
    const after = await owner.call('GET', `/v1/sessions/${sessionId}`)
    expect(after.body.session.variables).toContainEqual({ id: 'v-answer', name: 'Answer', value: 'Hello stream world' })
  })

  it('streams Anthropic answers the same way', async () => {
    anthropic.reply({ kind: 'text', text: 'Salut', chunks: ['Sa', 'lut'] })
    const { sessionId, asked, reply } = await startStreaming('stream-anthropic')
    expect(asked.body.clientSideActions).toEqual([streamAction])
    const streamed = await streamMessage(sessionId)
    expect(streamedText(streamed.lines)).toBe('Salut')
    expect(textsOf(await reply('Salut'))).toEqual(['Tokens: 18'])
  })

  it('answers on the server when the session did not ask for streaming, or the next bubble is not the answer alone', async () => {
    const chat = createChatClient(owner.call)
    const plain = await startConversation(chat, 'stream-openai')
    const answered = await plain.reply('Hi')
    expect(answered.body.clientSideActions).toEqual([])
    expect(textsOf(answered)[0]).toBe('Hello from the fake model')

    const { asked } = await startStreaming('stream-not-first')
    expect(asked.body.clientSideActions).toEqual([])
    expect(textsOf(asked)[0]).toBe('Answer: Hello from the fake model')
  })

  it('ends a failed stream with an error line, logs it on the result, and lets the flow go on', async () => {
    const failure = { kind: 'error', status: 500, message: 'The engine is overloaded' } as const
    openai.reply(failure, failure, failure)
    const { sessionId, reply } = await startStreaming('stream-openai')
    const streamed = await streamMessage(sessionId)
    expect(streamed.response.status).toBe(200)
    expect(streamed.lines).toHaveLength(2)
    expect(streamed.lines[0]?.startsWith('3:')).toBe(true)
    const log = JSON.parse(JSON.parse(streamed.lines[0]?.slice(2) ?? '""'))
    expect(log).toMatchObject({ status: 'error', description: 'The engine is overloaded', context: 'While streaming AI' })
    expect(streamed.lines[1]).toBe('d:{"finishReason":"error"}')

    const session = await owner.call('GET', `/v1/sessions/${sessionId}`)
    const logs = await owner.call('GET', `/v1/typebots/${typebotId}/results/${session.body.session.resultId}/logs`)
    expect(logs.body.logs).toContainEqual(expect.objectContaining({ status: 'error', description: 'The engine is overloaded' }))

    const next = await reply()
    expect(next.status).toBe(200)
    expect(next.body.input.id).toBe('i-next')
  })

  it('sends what came before a cut, then an error line', async () => {
    openai.reply({ kind: 'cut', chunks: ['Half an ans'] })
    const { sessionId } = await startStreaming('stream-openai')
    const streamed = await streamMessage(sessionId)
    expect(streamed.lines[0]).toBe('0:"Half an ans"')
    expect(streamed.lines.at(-2)?.startsWith('3:')).toBe(true)
    expect(streamed.lines.at(-1)).toBe('d:{"finishReason":"error"}')
  })

  it('refuses sessions that do not wait on a stream, and unknown sessions', async () => {
    const chat = createChatClient(owner.call)
    const { sessionId } = await startConversation(chat, 'stream-openai', { isStreamEnabled: true })
    const notWaiting = await streamMessage(sessionId)
    expect(notWaiting.response.status).toBe(400)
    expect(JSON.parse(notWaiting.text)).toEqual({ message: 'This block does not have a stream function', code: 'BAD_REQUEST' })
    const unknown = await streamMessage('no-such-session')
    expect(unknown.response.status).toBe(404)
  })
})
