import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiClient } from '../helpers/api-client.js'
import { importAndPublish } from '../helpers/chat-fixtures.js'
import { buildTypebot, text, textInput } from '../helpers/flow-builder.js'
import { startChildServer } from '../helpers/start-child-server.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { createTestUser, type TestUser } from '../helpers/users.js'

/** A text input that loops back to itself: every reply is one answer. */
const loopBot = buildTypebot({
  variables: [{ id: 'v-msg', name: 'Msg' }],
  groups: [
    { id: 'g-loop', title: 'Loop', blocks: [text('t-say', 'Say something ({{Msg}})'), textInput('i-msg', 'v-msg')], next: 'g-loop' },
  ],
})

let server: TestServer
let owner: TestUser
let typebotId: string
beforeAll(async () => {
  server = await startTestServer()
  owner = await createTestUser(server)
  ;[typebotId] = (await importAndPublish(owner, [{ fixture: loopBot, publicId: 'loop' }])) as [string]
})
afterAll(async () => server.close())

async function answersOf(resultId: string): Promise<string[]> {
  const result = await owner.call('GET', `/v1/typebots/${typebotId}/results/${resultId}`)
  expect(result.status, JSON.stringify(result.body)).toBe(200)
  return result.body.result.answers.map((answer: { content: string }) => answer.content)
}

describe('racing replies and updates on one session', () => {
  it('serialises 20 replies and several updates: no 5xx, no lost or doubled answer', async () => {
    const chat = createApiClient(server.url)
    const start = await chat('POST', '/v1/typebots/loop/startChat', { body: {} })
    const { sessionId, resultId } = start.body
    const replies = Array.from({ length: 20 }, (_, index) =>
      chat('POST', `/v1/sessions/${sessionId}/continueChat`, { body: { message: `m${index}` } }),
    )
    const updates = Array.from({ length: 4 }, () => owner.call('POST', `/v1/sessions/${sessionId}/updateTypebot`))
    const answers = await Promise.all([...replies, ...updates])
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200))
    const stored = await answersOf(resultId)
    expect([...stored].sort()).toEqual(Array.from({ length: 20 }, (_, index) => `m${index}`).sort())
    const after = await chat('POST', `/v1/sessions/${sessionId}/continueChat`, { body: { message: 'still here' } })
    expect(after.status).toBe(200)
    expect(after.body.input.id).toBe('i-msg')
  })

  it('holds with two server processes on one database', async () => {
    const { database } = server.config
    const child = await startChildServer({
      DATABASE_URL: database.kind === 'sqlite' ? `file:${database.filename}` : database.connectionString,
      ...(server.config.encryptionSecret ? { ENCRYPTION_SECRET: server.config.encryptionSecret } : {}),
    })
    try {
      const chats = [createApiClient(server.url), createApiClient(child.url)]
      const start = await chats[0]!('POST', '/v1/typebots/loop/startChat', { body: {} })
      const { sessionId, resultId } = start.body
      const requests = Array.from({ length: 20 }, (_, index) =>
        chats[index % 2]!('POST', `/v1/sessions/${sessionId}/continueChat`, { body: { message: `p${index}` } }).then((answer) => ({
          answer,
          message: `p${index}`,
        })),
      )
      const updates = [createApiClient(child.url, owner.token), owner.call].map((client) =>
        client('POST', `/v1/sessions/${sessionId}/updateTypebot`),
      )
      const [results, updateAnswers] = await Promise.all([Promise.all(requests), Promise.all(updates)])
      for (const { answer } of results) expect([200, 409]).toContain(answer.status)
      for (const answer of updateAnswers) expect([200, 409]).toContain(answer.status)
      const accepted = results.filter(({ answer }) => answer.status === 200).map(({ message }) => message)
      expect(accepted.length).toBeGreaterThan(0)
      expect([...(await answersOf(resultId))].sort()).toEqual([...accepted].sort())
      const after = await chats[1]!('POST', `/v1/sessions/${sessionId}/continueChat`, { body: { message: 'after the storm' } })
      expect(after.status).toBe(200)
    } finally {
      await child.stop()
    }
  })
})
