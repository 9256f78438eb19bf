/**
 * Typebot's own AI templates imported as they are, with one workspace credential (their blocks
 * name no credentials, or ids from another database), answering through the fake providers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addCredentials, readBasicChatGptTemplate } from '../helpers/ai-flows.js'
import { createChatClient, startConversation, textsOf } from '../helpers/chat-conversation.js'
import { importAndPublish, readFixture } from '../helpers/chat-fixtures.js'
import type { FakeAiServer } from '../helpers/fake-ai-server.js'
import { startFakeOpenAiServer } from '../helpers/fake-openai-server.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { createTestUser, type TestUser } from '../helpers/users.js'

let server: TestServer
let openai: FakeAiServer
let owner: TestUser

beforeAll(async () => {
  openai = await startFakeOpenAiServer()
  server = await startTestServer({ ALLOW_PRIVATE_HTTP_TARGETS: 'true' })
  owner = await createTestUser(server)
  await addCredentials(owner, 'openai', { apiKey: 'sk-template-openai', baseUrl: openai.baseUrl })
  await addCredentials(owner, 'mistral', { apiKey: 'mistral-template-key', baseUrl: `${openai.origin}/mistral/v1` })
})
afterAll(async () => {
  await server.close()
  await openai.close()
})

function flatten(message: { role: string; content: unknown }) {
  const { content } = message
  return {
    role: message.role,
    content: Array.isArray(content) ? content.map((part: { text?: string }) => part.text ?? '').join('') : content,
  }
}

describe("Typebot's AI templates", () => {
  it.each([
    [
      'basic-chat-gpt (openai block, no model, no credentials id)',
      'template-gpt',
      readBasicChatGptTemplate,
      '/v1/chat/completions',
      'gpt-4o-mini',
    ],
    [
      'basic-chat-completion (mistral block, a credentials id from elsewhere)',
      'template-mistral',
      () => readFixture('basic-chat-completion.json'),
      '/mistral/v1/chat/completions',
      'mistral-small-latest',
    ],
  ])('%s answers two turns, the second carrying the dialogue of the first', async (_name, publicId, read, path, model) => {
    await importAndPublish(owner, [{ fixture: read(), publicId }])
    const chat = createChatClient(owner.call)
    const { start, reply } = await startConversation(chat, publicId)
    expect(textsOf(start)).toEqual(['Hi there 👋', 'How can I help?'])
    expect(start.body.input.type).toBe('text input')

    openai.reply({ kind: 'text', text: '2 + 2 = 4.' }, { kind: 'text', text: 'Times 3, that is 12.' })
    const sent = openai.requests.length
    const first = await reply('What is 2 + 2?')
    expect(textsOf(first)).toEqual(['2 + 2 = 4.'])
    expect(first.body.input.type).toBe('text input')
    const second = await reply('And times 3?')
    expect(textsOf(second)).toEqual(['Times 3, that is 12.'])

    const [firstRequest, secondRequest] = openai.requests.slice(sent)
    expect(firstRequest?.path).toBe(path)
    expect(firstRequest?.body.model).toBe(model)
    expect(firstRequest?.body.messages.map(flatten)).toEqual([{ role: 'user', content: 'What is 2 + 2?' }])
    expect(secondRequest?.body.messages.map(flatten)).toEqual([
      { role: 'user', content: 'What is 2 + 2?' },
      { role: 'assistant', content: '2 + 2 = 4.' },
      { role: 'user', content: 'And times 3?' },
    ])
  })
})
