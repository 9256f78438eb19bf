import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient, createOwner, importAndPublish, type Owner } from '../helpers/chat-fixtures.js'
import { buildTypebot, text, textInput } from '../helpers/flow-builder.js'
import { startChildServer } from '../helpers/start-child-server.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'

/** A text input that loops back to itself: every reply is one answer. */
const loopBot = buildTypebot({
  variables: [{ id: 'v-msg', name: 'Msg' }],
  groups: [
    { id: 'g-loop', title: 'Loop', blocks: [text('t-say', 'Say something ({{Msg}})'), textInput('i-msg', 'v-msg')], next: 'g-loop' },
  ],
})

let server: TestServer
let owner: Owner
let typebotId: string
beforeAll(async () => {
  server = await startTestServer()
  owner = await createOwner(server)
  ;[typebotId] = (await importAndPublish(owner, [{ fixture: loopBot, publicId: 'loop' }])) as [string]
})
afterAll(async () => server.close())

async function answersOf(resultId: string): Promise<string[]> {
  const result = await owner.client.get(`/api/v1/typebots/${typebotId}/results/${resultId}`)
  expect(result.status, JSON.stringify(result.body)).toBe(200)
  return result.body.result.answers.map((answer: { content: string }) => answer.content)
}

describe('racing replies and updates on one session', () => {
  it('serialises 20 replies and several updates: no 5xx, no lost or doubled answer', async () => {
    const chat = createClient(server.url)
    const start = await chat.post('/api/v1/typebots/loop/startChat', {})
    const { sessionId, resultId } = start.body
    const replies = Array.from({ length: 20 }, (_, index) =>
      chat.post(`/api/v1/sessions/${sessionId}/continueChat`, { message: `m${index}` }),
    )
    const updates = Array.from({ length: 4 }, () => owner.client.post(`/api/v1/sessions/${sessionId}/updateTypebot`))
    const answers = await Promise.all([...replies, ...updates])
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200))
    const stored = await answersOf(resultId)
    expect([...stored].sort()).toEqual(Array.from({ length: 20 }, (_, index) => `m${index}`).sort())
    const after = await chat.post(`/api/v1/sessions/${sessionId}/continueChat`, { message: 'still here' })
    expect(after.status).toBe(200)
    expect(after.body.input.id).toBe('i-msg')
  })

  it('holds with two server processes on one database', async () => {
    const child = await startChildServer(
      server.config.database.kind === 'sqlite' ? `file:${server.config.database.filename}` : server.config.database.connectionString,
    )
    try {
      const chats = [createClient(server.url), createClient(child.url)]
      const start = await chats[0]!.post('/api/v1/typebots/loop/startChat', {})
      const { sessionId, resultId } = start.body
      const requests = Array.from({ length: 20 }, (_, index) =>
        chats[index % 2]!.post(`/api/v1/sessions/${sessionId}/continueChat`, { message: `p${index}` }).then((answer) => ({
          answer,
          message: `p${index}`,
        })),
      )
      const updates = [createClient(child.url, owner.token), owner.client].map((client) =>
        client.post(`/api/v1/sessions/${sessionId}/updateTypebot`),
      )
      const [results, updateAnswers] = await Promise.all([Promise.all(requests), Promise.all(updates)])
      for (const { answer } of results) expect([200, 409]).toContain(answer.status)
      for (const answer of updateAnswers) expect([200, 409]).toContain(answer.status)
      const accepted = results.filter(({ answer }) => answer.status === 200).map(({ message }) => message)
      expect(accepted.length).toBeGreaterThan(0)
      expect([...(await answersOf(resultId))].sort()).toEqual([...accepted].sort())
      const after = await chats[1]!.post(`/api/v1/sessions/${sessionId}/continueChat`, { message: 'after the storm' })
      expect(after.status).toBe(200)
    } finally {
      await child.stop()
    }
  })
})
