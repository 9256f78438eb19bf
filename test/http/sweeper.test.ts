import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ApiResponse, createApiClient } from '../helpers/api-client.js'
import { importAndPublish } from '../helpers/chat-fixtures.js'
import { buildTypebot, text, textInput } from '../helpers/flow-builder.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { createTestUser, type TestUser } from '../helpers/users.js'

const loopBot = buildTypebot({
  variables: [{ id: 'v-msg', name: 'Msg' }],
  groups: [{ id: 'g-loop', title: 'Loop', blocks: [text('t-say', 'Say something'), textInput('i-msg', 'v-msg')], next: 'g-loop' }],
})
const hourMs = 3_600_000

let server: TestServer
let owner: TestUser
let typebotId: string
let clockOffsetMs = 0
beforeAll(async () => {
  server = await startTestServer(
    { SESSION_TTL_HOURS: '1', RESULTS_RETENTION_DAYS: '2' },
    { now: () => Date.now() + clockOffsetMs, sweepIntervalMs: 50 },
  )
  owner = await createTestUser(server)
  ;[typebotId] = (await importAndPublish(owner, [{ fixture: loopBot, publicId: 'sweep' }])) as [string]
})
afterAll(async () => server.close())

/** Asks until `isDone` holds (the sweeper runs every 50 ms here), for at most 10 s. */
async function eventually(ask: () => Promise<ApiResponse>, isDone: (answer: ApiResponse) => boolean): Promise<ApiResponse> {
  const deadline = Date.now() + 10_000
  for (;;) {
    const answer = await ask()
    if (isDone(answer) || Date.now() > deadline) return answer
    await sleep(25)
  }
}

describe('the sweeper', () => {
  it('deletes expired sessions and keeps their results; then results past RESULTS_RETENTION_DAYS go too', async () => {
    const chat = createApiClient(server.url)
    const start = await chat('POST', '/v1/typebots/sweep/startChat', { body: {} })
    const { sessionId, resultId } = start.body
    expect((await chat('POST', `/v1/sessions/${sessionId}/continueChat`, { body: { message: 'remember me' } })).status).toBe(200)

    clockOffsetMs = 2 * hourMs
    const session = await eventually(
      () => owner.call('GET', `/v1/sessions/${sessionId}`),
      (answer) => answer.body?.message === 'Session not found',
    )
    // Expired but still stored would answer "Session expired..."; deleted, it is not found.
    expect(session).toMatchObject({ status: 404, body: { message: 'Session not found' } })
    const result = await owner.call('GET', `/v1/typebots/${typebotId}/results/${resultId}`)
    expect(result.status).toBe(200)
    expect(result.body.result.answers.map((answer: { content: string }) => answer.content)).toEqual(['remember me'])

    clockOffsetMs = 3 * 24 * hourMs
    const gone = await eventually(
      () => owner.call('GET', `/v1/typebots/${typebotId}/results/${resultId}`),
      (answer) => answer.status === 404,
    )
    expect(gone.status).toBe(404)
  })
})
