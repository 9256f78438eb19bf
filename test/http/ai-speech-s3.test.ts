/**
 * OpenAI's Create speech with files in an S3-compatible bucket: the audio is put in the bucket
 * and its botflow URL redirects to it, like any uploaded file.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { addCredentials, aiFlow, forgedAiBlock } from '../helpers/ai-flows.js'
import { createChatClient, startConversation, textsOf } from '../helpers/chat-conversation.js'
import { importAndPublish } from '../helpers/chat-fixtures.js'
import type { FakeAiServer } from '../helpers/fake-ai-server.js'
import { fakeSpeechBytes, startFakeOpenAiServer } from '../helpers/fake-openai-server.js'
import { type FakeS3, startFakeS3 } from '../helpers/fake-s3-server.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { createTestUser, type TestUser } from '../helpers/users.js'

let s3: FakeS3
let openai: FakeAiServer
let server: TestServer
let owner: TestUser

beforeAll(async () => {
  s3 = await startFakeS3()
  openai = await startFakeOpenAiServer()
  server = await startTestServer({ ...s3.env, ALLOW_PRIVATE_HTTP_TARGETS: 'true' })
  owner = await createTestUser(server)
  await addCredentials(owner, 'openai', { apiKey: 'sk-speech-s3-key', baseUrl: openai.baseUrl })
})
afterAll(async () => {
  await server?.close()
  await openai?.close()
  await s3?.close()
})

it('puts the speech in the bucket; its URL redirects to the object', async () => {
  const block = forgedAiBlock('openai', { action: 'Create speech', input: 'Hello', voice: 'echo', saveUrlInVariableId: 'v-answer' })
  await importAndPublish(owner, [{ fixture: aiFlow(block), publicId: 'speech-s3' }])
  const { reply } = await startConversation(createChatClient(owner.call), 'speech-s3')
  const url = textsOf(await reply('go'))[0] ?? ''
  expect(url).toMatch(/\/api\/v1\/files\/[a-z0-9]+\/speech\.mp3$/)
  const redirected = await fetch(url, { redirect: 'manual' })
  expect(redirected.status).toBe(307)
  const location = redirected.headers.get('location') ?? ''
  expect(location.startsWith(`${s3.endpoint}/${s3.bucket}/files/`)).toBe(true)
  const file = await fetch(location)
  expect(file.headers.get('content-type')).toBe('audio/mpeg')
  expect(Buffer.from(await file.arrayBuffer())).toEqual(fakeSpeechBytes)
})
