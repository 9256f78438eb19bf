/**
 * AI blocks through the Chat API (§7.5), against fake OpenAI-compatible and Anthropic servers on
 * 127.0.0.1: what the providers receive (model, messages in order, key) and what the conversation
 * shows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addCredentials, aiFlow, chatOptions, forgedAiBlock } from '../helpers/ai-flows.js'
import { createChatClient, startConversation, textsOf } from '../helpers/chat-conversation.js'
import { importAndPublish } from '../helpers/chat-fixtures.js'
import type { FakeAiServer } from '../helpers/fake-ai-server.js'
import { fakeAnthropicDefaultAnswer, startFakeAnthropicServer } from '../helpers/fake-anthropic-server.js'
import { fakeOpenAiDefaultAnswer, fakeSpeechBytes, startFakeOpenAiServer } from '../helpers/fake-openai-server.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { createTestUser, type TestUser } from '../helpers/users.js'

let server: TestServer
let openai: FakeAiServer
let anthropic: FakeAiServer
let owner: TestUser
const keys = { openai: 'sk-openai-test-key-0001', anthropic: 'sk-ant-test-key-0002', compatible: 'sk-compatible-key-0003' }

beforeAll(async () => {
  openai = await startFakeOpenAiServer()
  anthropic = await startFakeAnthropicServer()
  server = await startTestServer({ ALLOW_PRIVATE_HTTP_TARGETS: 'true' })
  owner = await createTestUser(server)
  await addCredentials(owner, 'openai', { apiKey: keys.openai, baseUrl: openai.baseUrl })
  await addCredentials(owner, 'anthropic', { apiKey: keys.anthropic, baseUrl: anthropic.baseUrl })
  for (const type of ['open-router', 'together-ai', 'mistral', 'groq', 'perplexity', 'deepseek']) {
    await addCredentials(owner, type, { apiKey: `${keys.compatible}-${type}`, baseUrl: `${openai.origin}/${type}/v1` })
  }
})
afterAll(async () => {
  await server.close()
  await openai.close()
  await anthropic.close()
})

async function publish(publicId: string, document: Record<string, unknown>) {
  await importAndPublish(owner, [{ fixture: document, publicId }])
}

async function ask(publicId: string, question: string) {
  const chat = createChatClient(owner.call)
  const { reply } = await startConversation(chat, publicId)
  return reply(question)
}

describe('the openai block', () => {
  it('asks the chat completions API with the default model and the workspace key, and shows the answer', async () => {
    await publish('ai-openai', aiFlow(forgedAiBlock('openai', chatOptions({ temperature: 0.3 }))))
    const sent = openai.requests.length
    const answer = await ask('ai-openai', 'What is botflow?')
    expect(answer.status).toBe(200)
    expect(textsOf(answer)).toEqual([fakeOpenAiDefaultAnswer, 'Tokens: 18'])
    expect(answer.body.input.id).toBe('i-next')
    const request = openai.requests[sent]
    expect(request?.path).toBe('/v1/chat/completions')
    expect(request?.headers.authorization).toBe(`Bearer ${keys.openai}`)
    expect(request?.body).toMatchObject({
      model: 'gpt-4o-mini',
      temperature: 0.3,
      messages: [
        { role: 'system', content: 'You are a helpful assistant.' },
        { role: 'user', content: 'What is botflow?' },
      ],
    })
    expect(request?.body.stream).toBeUndefined()
  })
})

describe('the other providers', () => {
  it.each(['open-router', 'together-ai', 'mistral', 'groq', 'perplexity', 'deepseek'])(
    '%s calls its chat completions endpoint with its own key and the model of the block',
    async (type) => {
      await publish(`ai-${type}`, aiFlow(forgedAiBlock(type, chatOptions({ model: `${type}-model` }))))
      const sent = openai.requests.length
      const answer = await ask(`ai-${type}`, 'Hi')
      expect(textsOf(answer)[0]).toBe(fakeOpenAiDefaultAnswer)
      const request = openai.requests[sent]
      expect(request?.path).toBe(`/${type}/v1/chat/completions`)
      expect(request?.headers.authorization).toBe(`Bearer ${keys.compatible}-${type}`)
      expect(request?.body.model).toBe(`${type}-model`)
      // Mistral's wire format writes user content as a list of parts.
      expect(request?.body.messages.map(flattenContent)).toEqual([
        { role: 'system', content: 'You are a helpful assistant.' },
        { role: 'user', content: 'Hi' },
      ])
    },
  )

  it('anthropic sends the Messages API request with its key and the system prompt first', async () => {
    const options = chatOptions({ action: 'Create Chat Message', model: 'claude-haiku-4-5', systemMessage: 'Be brief.', maxTokens: 256 })
    options.messages = [{ role: 'user', content: '{{Question}}' }]
    await publish('ai-anthropic', aiFlow(forgedAiBlock('anthropic', options)))
    const sent = anthropic.requests.length
    const answer = await ask('ai-anthropic', 'Bonjour ?')
    expect(textsOf(answer)).toEqual([fakeAnthropicDefaultAnswer, 'Tokens: 18'])
    const request = anthropic.requests[sent]
    expect(request?.path).toBe('/v1/messages')
    expect(request?.headers['x-api-key']).toBe(keys.anthropic)
    expect(request?.body).toMatchObject({
      model: 'claude-haiku-4-5',
      max_tokens: 256,
      system: [{ type: 'text', text: 'Be brief.' }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Bonjour ?' }] }],
    })
  })
})

function flattenContent(message: { role: string; content: unknown }) {
  const { content } = message
  const text = Array.isArray(content) ? content.map((part: { text?: string }) => part.text ?? '').join('') : content
  return { role: message.role, content: text }
}

describe('tools', () => {
  it('runs the code of a tool the model calls in the sandbox, sends its result back and keeps its variables', async () => {
    const tool = {
      type: 'function',
      name: 'getWeather',
      description: 'The weather of a city',
      parameters: [{ type: 'string', name: 'city', description: 'A city', required: true }],
      code: "setVariable('City', city.toUpperCase()); return { city, temperature: 21 }",
    }
    await publish('ai-tools', aiFlow(forgedAiBlock('openai', chatOptions({ tools: [tool] })), { answerBubble: '{{Answer}} ({{City}})' }))
    openai.reply({ kind: 'toolCall', name: 'getWeather', input: { city: 'Paris' } }, { kind: 'text', text: 'It is 21°C in Paris.' })
    const sent = openai.requests.length
    const answer = await ask('ai-tools', 'Weather in Paris?')
    expect(textsOf(answer)[0]).toBe('It is 21°C in Paris. (PARIS)')
    const [first, second] = openai.requests.slice(sent)
    expect(first?.body.tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'getWeather',
          description: 'The weather of a city',
          parameters: expect.objectContaining({
            type: 'object',
            properties: { city: { type: 'string', description: 'A city' } },
            required: ['city'],
          }),
        },
      },
    ])
    expect(second?.body.messages.at(-1)).toEqual({
      role: 'tool',
      tool_call_id: expect.any(String),
      content: '{"city":"Paris","temperature":21}',
    })
  })
})

describe('models that read images', () => {
  it('send the image URLs of a user message as images, and other URLs as text', async () => {
    await publish('ai-vision', aiFlow(forgedAiBlock('openai', chatOptions({ model: 'gpt-4o' }))))
    const sent = openai.requests.length
    const picture = `${openai.origin}/images/cat.png`
    const page = `${openai.origin}/pages/about`
    await ask('ai-vision', `What is on this picture?\n\n${picture}\n\n${page}`)
    const request = openai.requests.find((candidate, index) => index >= sent && candidate.path === '/v1/chat/completions')
    expect(request?.body.messages[1]).toEqual({
      role: 'user',
      content: [
        { type: 'text', text: 'What is on this picture?' },
        { type: 'image_url', image_url: { url: picture } },
        { type: 'text', text: page },
      ],
    })
  })
})

describe('other actions', () => {
  it('generates variables from a JSON object the model returns', async () => {
    const block = forgedAiBlock('openai', {
      action: 'Generate variables',
      prompt: 'Extract from: {{Question}}',
      variablesToExtract: [
        { id: 'x1', type: 'string', variableId: 'v-city', description: 'The city' },
        { id: 'x2', type: 'number', variableId: 'v-age', isRequired: false },
      ],
    })
    await publish('ai-extract', aiFlow(block, { answerBubble: '{{City}} / {{Age}}' }))
    openai.reply({ kind: 'text', text: '{"City":"Lyon","Age":42}' })
    const sent = openai.requests.length
    const answer = await ask('ai-extract', 'I am 42 and live in Lyon')
    expect(textsOf(answer)[0]).toBe('Lyon / 42')
    const request = openai.requests[sent]
    expect(request?.body.model).toBe('gpt-4o-mini')
    expect(request?.body.messages.at(-1).content).toContain(
      'Extract from: I am 42 and live in Lyon\n\nYou should generate a JSON object and provide empty values',
    )
    expect(request?.body.response_format.json_schema.schema).toMatchObject({
      properties: { City: { type: 'string', description: 'The city' }, Age: { anyOf: [{ type: 'number' }, { type: 'null' }] } },
      required: ['City', 'Age'],
    })
  })

  it('keeps the conversation of Ask Model with the previous response id', async () => {
    const block = forgedAiBlock('openai', {
      action: 'Ask Model',
      model: 'gpt-4.1',
      message: '{{Question}}',
      instructions: 'Answer in French.',
      responseIdVariableId: 'v-response-id',
      responseMapping: [{ item: 'Message', variableId: 'v-answer' }],
    })
    await publish('ai-ask-model', aiFlow(block, { loop: true }))
    const chat = createChatClient(owner.call)
    const { reply } = await startConversation(chat, 'ai-ask-model')
    const sent = openai.requests.length
    expect(textsOf(await reply('Hello'))[0]).toBe(fakeOpenAiDefaultAnswer)
    expect(textsOf(await reply('Again'))[0]).toBe(fakeOpenAiDefaultAnswer)
    const [first, second] = openai.requests.slice(sent)
    expect(first?.path).toBe('/v1/responses')
    expect(first?.body).toMatchObject({ model: 'gpt-4.1', instructions: 'Answer in French.', store: true })
    expect(first?.body.previous_response_id).toBeUndefined()
    expect(second?.body.previous_response_id).toMatch(/^resp_/)
  })

  it('transcribes the audio at a URL', async () => {
    const block = forgedAiBlock('openai', { action: 'Create transcription', url: '{{Question}}', transcriptionVariableId: 'v-answer' })
    await publish('ai-transcription', aiFlow(block))
    openai.reply({ kind: 'text', text: 'Hello, this is the transcript.' })
    const sent = openai.requests.length
    const answer = await ask('ai-transcription', `${openai.origin}/audio/greeting.mp3`)
    expect(textsOf(answer)[0]).toBe('Hello, this is the transcript.')
    const [download, transcription] = openai.requests.slice(sent)
    expect(download?.method).toBe('GET')
    expect(transcription?.path).toBe('/v1/audio/transcriptions')
    expect(transcription?.rawBody).toContain('whisper-1')
    expect(transcription?.rawBody).toContain('ID3 fake audio bytes')
  })

  it('creates speech with the default model, stores the audio as a public file and puts its URL in the variable', async () => {
    const block = forgedAiBlock('openai', {
      action: 'Create speech',
      input: 'Say {{Question}}',
      voice: 'nova',
      saveUrlInVariableId: 'v-answer',
    })
    const [typebotId] = await importAndPublish(owner, [{ fixture: aiFlow(block), publicId: 'ai-speech' }])
    const sent = openai.requests.length
    const { reply, start } = await startConversation(createChatClient(owner.call), 'ai-speech')
    const answer = await reply('hello')
    const request = openai.requests[sent]
    expect(request?.path).toBe('/v1/audio/speech')
    expect(request?.headers.authorization).toBe(`Bearer ${keys.openai}`)
    expect(request?.body).toMatchObject({ model: 'tts-1', voice: 'nova', input: 'Say hello' })
    const url = textsOf(answer)[0] ?? ''
    expect(url).toMatch(new RegExp(`^${server.url}/api/v1/files/[a-z0-9]+/speech\\.mp3$`))
    const file = await fetch(url)
    expect(file.status).toBe(200)
    expect(file.headers.get('content-type')).toBe('audio/mpeg')
    expect(Buffer.from(await file.arrayBuffer())).toEqual(fakeSpeechBytes)
    // The audio belongs to the result: deleting the result deletes it.
    await owner.call('DELETE', `/v1/typebots/${typebotId}/results?resultIds=${start.body.resultId}`)
    expect((await fetch(url)).status).toBe(404)
  })

  it('logs a failed speech as an error and goes on with the flow', async () => {
    const block = forgedAiBlock('openai', {
      action: 'Create speech',
      model: 'gpt-4o-mini-tts',
      input: 'Hi',
      voice: 'alloy',
      saveUrlInVariableId: 'v-answer',
    })
    await publish('ai-speech-failing', aiFlow(block, { answerBubble: 'After speech' }))
    openai.reply({ kind: 'error', status: 401, message: 'Incorrect API key provided' })
    const answer = await ask('ai-speech-failing', 'hello')
    expect(answer.status).toBe(200)
    expect(textsOf(answer)[0]).toBe('After speech')
    expect(answer.body.input.id).toBe('i-next')
    expect(answer.body.logs).toEqual([
      expect.objectContaining({ status: 'error', description: 'Incorrect API key provided', context: 'While generating speech' }),
    ])
  })

  it('runs the legacy OpenAI block, whatever credentials id it names, with gpt-4o-mini by default', async () => {
    const block = {
      id: 'ai',
      type: 'OpenAI',
      options: {
        task: 'Create chat completion',
        credentialsId: 'from-another-typebot-database',
        messages: [
          { id: 'm1', role: 'system', content: 'Legacy system' },
          { id: 'm2', role: 'user', content: '{{Question}}' },
        ],
        advancedSettings: { temperature: '0.5' },
        responseMapping: [
          { id: 'r1', valueToExtract: 'Message content', variableId: 'v-answer' },
          { id: 'r2', valueToExtract: 'Total tokens', variableId: 'v-tokens' },
        ],
      },
    }
    await publish('ai-legacy', aiFlow(block))
    const sent = openai.requests.length
    const answer = await ask('ai-legacy', 'Old bot?')
    expect(textsOf(answer)).toEqual([fakeOpenAiDefaultAnswer, 'Tokens: 18'])
    expect(openai.requests[sent]?.body).toMatchObject({
      model: 'gpt-4o-mini',
      temperature: 0.5,
      messages: [
        { role: 'system', content: 'Legacy system' },
        { role: 'user', content: 'Old bot?' },
      ],
    })
  })
})

describe('credentials and configuration errors', () => {
  it('logs "Couldn\'t find credentials" when the workspace has none of the type, and the flow goes on', async () => {
    const stranger = await createTestUser(server)
    await importAndPublish(stranger, [{ fixture: aiFlow(forgedAiBlock('openai', chatOptions())), publicId: 'ai-no-credentials' }])
    const sent = openai.requests.length
    const { reply } = await startConversation(createChatClient(stranger.call), 'ai-no-credentials')
    const answer = await reply('Anyone?')
    expect(answer.status).toBe(200)
    expect(answer.body.input.id).toBe('i-next')
    expect(answer.body.logs).toEqual([
      { status: 'error', description: "Couldn't find credentials", details: 'This workspace has no openai credentials' },
    ])
    expect(openai.requests.length).toBe(sent)
  })

  it('uses the credentials a block names when the workspace has several of the type, and logs when it names none', async () => {
    const user = await createTestUser(server)
    const first = await addCredentials(user, 'groq', { apiKey: 'gsk-first', baseUrl: openai.baseUrl })
    await addCredentials(user, 'groq', { apiKey: 'gsk-second', baseUrl: openai.baseUrl })
    await importAndPublish(user, [
      { fixture: aiFlow(forgedAiBlock('groq', chatOptions({ model: 'llama', credentialsId: first }))), publicId: 'ai-named' },
      { fixture: aiFlow(forgedAiBlock('groq', chatOptions({ model: 'llama' }))), publicId: 'ai-ambiguous' },
    ])
    const chat = createChatClient(user.call)
    const sent = openai.requests.length
    await (await startConversation(chat, 'ai-named')).reply('Hi')
    expect(openai.requests[sent]?.headers.authorization).toBe('Bearer gsk-first')
    const ambiguous = await (await startConversation(chat, 'ai-ambiguous')).reply('Hi')
    expect(ambiguous.body.logs).toEqual([
      {
        status: 'error',
        description: "Couldn't find credentials",
        details: 'This workspace has 2 groq credentials and the block names none of them',
      },
    ])
  })

  it('logs "No model provided" for a provider without a default model', async () => {
    await publish('ai-no-model', aiFlow(forgedAiBlock('mistral', chatOptions())))
    const answer = await ask('ai-no-model', 'Hi')
    expect(answer.body.logs).toEqual([{ status: 'error', description: 'No model provided' }])
    expect(answer.body.input.id).toBe('i-next')
  })
})

describe('the SSRF guard', () => {
  it('refuses a private base URL unless ALLOW_PRIVATE_HTTP_TARGETS is set, and sends nothing', async () => {
    const strict = await startTestServer()
    try {
      const user = await createTestUser(strict)
      await addCredentials(user, 'openai', { apiKey: 'sk-private', baseUrl: openai.baseUrl })
      await importAndPublish(user, [{ fixture: aiFlow(forgedAiBlock('openai', chatOptions())), publicId: 'ai-ssrf' }])
      const sent = openai.requests.length
      const { reply } = await startConversation(createChatClient(user.call), 'ai-ssrf')
      const answer = await reply('Hi')
      expect(answer.status).toBe(200)
      expect(answer.body.logs).toEqual([
        expect.objectContaining({
          status: 'error',
          description: expect.stringContaining('Security validation failed'),
          context: 'While generating chat completion',
        }),
      ])
      expect(answer.body.input.id).toBe('i-next')
      expect(openai.requests.length).toBe(sent)
    } finally {
      await strict.close()
    }
  })
})
