import { setTimeout as sleep } from 'node:timers/promises'
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

  it('two processes, 16 racing replies per session from each: every reply waits its turn, none fails, none is lost or doubled', async () => {
    const child = await startChildServer(childEnvOf(server))
    try {
      const chats = [createApiClient(server.url), createApiClient(child.url)] as const
      const starts = await Promise.all([0, 1, 2].map(() => chats[0]('POST', '/v1/typebots/loop/startChat', { body: {} })))
      const replies = starts.flatMap((start, session) =>
        Array.from({ length: 32 }, (_, index) => ({
          sessionId: String(start.body.sessionId),
          message: `s${session}-${index}`,
          chat: chats[index % 2]!,
        })),
      )
      const updates = [createApiClient(child.url, owner.token), owner.call].flatMap((call) =>
        starts.map((start) => call('POST', `/v1/sessions/${start.body.sessionId}/updateTypebot`)),
      )
      const [answers, updateAnswers] = await Promise.all([
        Promise.all(
          replies.map(({ sessionId, message, chat }) => chat('POST', `/v1/sessions/${sessionId}/continueChat`, { body: { message } })),
        ),
        Promise.all(updates),
      ])
      expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200))
      expect(updateAnswers.map((answer) => answer.status)).toEqual(updateAnswers.map(() => 200))
      // Each reply ran on a state that held its own answer: the echo names it.
      answers.forEach((answer, index) => {
        expect(JSON.stringify(answer.body.messages)).toContain(`{"text":"${replies[index]!.message}"}`)
      })
      for (const [session, start] of starts.entries()) {
        const sent = replies.filter((reply) => reply.sessionId === start.body.sessionId).map((reply) => reply.message)
        expect([...(await answersOf(start.body.resultId))].sort()).toEqual(sent.sort())
        expect(session).toBeGreaterThanOrEqual(0)
      }
    } finally {
      await child.stop()
    }
  })
})

describe('a session another process works on', () => {
  let impatient: TestServer
  beforeAll(async () => {
    impatient = await startTestServer({}, { sessionBusyWaitMs: 300 })
    const user = await createTestUser(impatient)
    await importAndPublish(user, [{ fixture: loopBot, publicId: 'loop' }])
  })
  afterAll(async () => impatient.close())

  it('waits for the lease to be released, then answers', async () => {
    const chat = createApiClient(server.url)
    const { sessionId } = (await chat('POST', '/v1/typebots/loop/startChat', { body: {} })).body
    expect(await server.store.leaseSession(sessionId, 'another-process', 60_000)).not.toBe('busy')
    let isReleased = false
    const reply = chat('POST', `/v1/sessions/${sessionId}/continueChat`, { body: { message: 'patient' } }).then((answer) => ({
      answer,
      wasReleasedFirst: isReleased,
    }))
    await sleep(200)
    isReleased = true
    await server.store.releaseSessionLease(sessionId, 'another-process')
    const { answer, wasReleasedFirst } = await reply
    expect(answer.status).toBe(200)
    expect(wasReleasedFirst).toBe(true)
  })

  it('answers 409 only once the wait is over, and the session is unharmed', async () => {
    const chat = createApiClient(impatient.url)
    const { sessionId } = (await chat('POST', '/v1/typebots/loop/startChat', { body: {} })).body
    await impatient.store.leaseSession(sessionId, 'a-stuck-process', 60_000)
    const busy = await chat('POST', `/v1/sessions/${sessionId}/continueChat`, { body: { message: 'too soon' } })
    expect(busy.status).toBe(409)
    expect(busy.body).toEqual({ code: 'CONFLICT', message: 'The session is busy with another request; try again' })
    await impatient.store.releaseSessionLease(sessionId, 'a-stuck-process')
    const after = await chat('POST', `/v1/sessions/${sessionId}/continueChat`, { body: { message: 'now' } })
    expect(after.status).toBe(200)
    expect(JSON.stringify(after.body.messages)).toContain('{"text":"now"}')
  })
})

/** What a second server process needs to share `target`'s database. */
function childEnvOf(target: TestServer): Record<string, string> {
  const { database, encryptionSecret } = target.config
  return {
    DATABASE_URL: database.kind === 'sqlite' ? `file:${database.filename}` : database.connectionString,
    ...(encryptionSecret ? { ENCRYPTION_SECRET: encryptionSecret } : {}),
  }
}
