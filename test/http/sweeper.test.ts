import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ApiResponse, createApiClient } from '../helpers/api-client.js'
import { importAndPublish } from '../helpers/chat-fixtures.js'
import { buildTypebot, text, textInput } from '../helpers/flow-builder.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { createTestUser, type TestUser } from '../helpers/users.js'
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js'

const loopBot = buildTypebot({
  variables: [{ id: 'v-msg', name: 'Msg' }],
  groups: [{ id: 'g-loop', title: 'Loop', blocks: [text('t-say', 'Say something'), textInput('i-msg', 'v-msg')], next: 'g-loop' }],
})
const fileBot = buildTypebot({
  variables: [{ id: 'v-file', name: 'File' }],
  groups: [
    {
      id: 'g-file',
      title: 'File',
      blocks: [text('t-send', 'Send a file'), { id: 'i-file', type: 'file input', options: { variableId: 'v-file' } }],
    },
  ],
})
const hourMs = 3_600_000
const dayMs = 24 * hourMs

let server: TestServer
let owner: TestUser
let typebotId: string
let fileTypebotId: string
let receiver: WebhookReceiver
let clockOffsetMs = 0
beforeAll(async () => {
  receiver = await startWebhookReceiver()
  server = await startTestServer(
    { SESSION_TTL_HOURS: '1', RESULTS_RETENTION_DAYS: '2', ALLOW_PRIVATE_HTTP_TARGETS: 'true', WEBHOOK_RETRY_BASE_MS: '100' },
    { now: () => Date.now() + clockOffsetMs, sweepIntervalMs: 50 },
  )
  owner = await createTestUser(server)
  ;[typebotId, fileTypebotId] = (await importAndPublish(owner, [
    { fixture: loopBot, publicId: 'sweep' },
    { fixture: fileBot, publicId: 'sweep-file' },
  ])) as [string, string]
})
afterAll(async () => {
  await server?.close()
  await receiver?.stop()
})

/** Names of the files in the local uploads folder (its `tmp` folder holds uploads in progress). */
function storedFiles(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? walk(join(dir, entry.name)) : [entry.name]))
  return readdirSync(server.config.uploads.directory, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== 'tmp')
    .flatMap((entry) => walk(join(server.config.uploads.directory, entry.name)))
}

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

  it('deletes the files uploaded in the results it deletes', async () => {
    clockOffsetMs = 0
    const chat = createApiClient(server.url)
    const start = await chat('POST', '/v1/typebots/sweep-file/startChat', { body: {} })
    const { sessionId, resultId } = start.body
    const generated = await chat('POST', '/v3/generate-upload-url', {
      body: { sessionId, blockId: 'i-file', fileName: 'old-photo.png', fileType: 'image/png', fileSize: 4 },
    })
    expect(generated.status).toBe(200)
    const uploaded = await fetch(generated.body.presignedUrl, { method: 'PUT', body: 'PNG!', headers: { 'content-type': 'image/png' } })
    expect(uploaded.status).toBe(204)
    expect((await chat('POST', `/v1/sessions/${sessionId}/continueChat`, { body: { message: generated.body.fileUrl } })).status).toBe(200)
    // Stored under the upload's id, the segment before the name in the file URL.
    const storedName = new URL(generated.body.fileUrl).pathname.split('/').at(-2)
    expect(storedFiles()).toContain(storedName)
    expect((await fetch(generated.body.fileUrl)).status).toBe(200)

    clockOffsetMs = 3 * dayMs
    const gone = await eventually(
      () => owner.call('GET', `/v1/typebots/${fileTypebotId}/results/${resultId}`),
      (answer) => answer.status === 404,
    )
    expect(gone.status).toBe(404)
    expect((await fetch(generated.body.fileUrl)).status).toBe(404)
    expect(storedFiles()).not.toContain(storedName)
  })

  it('deletes finished webhook deliveries after WEBHOOK_DELIVERY_RETENTION_DAYS (30 by default)', async () => {
    clockOffsetMs = 0
    const subscribed = await owner.call('POST', `/v1/workspaces/${owner.workspaceId}/webhooks`, {
      body: { url: receiver.url, events: ['session.started'] },
    })
    expect(subscribed.status).toBe(200)
    receiver.secret = subscribed.body.webhook.secret
    const deliveriesPath = `/v1/workspaces/${owner.workspaceId}/webhooks/${subscribed.body.webhook.id}/deliveries`
    expect((await createApiClient(server.url)('POST', '/v1/typebots/sweep/startChat', { body: {} })).status).toBe(200)
    const delivered = await eventually(
      () => owner.call('GET', deliveriesPath),
      (answer) => answer.body?.deliveries?.[0]?.status === 'delivered',
    )
    expect(delivered.body.deliveries).toHaveLength(1)

    // Kept for 29 days; gone after 31 (the sweeper runs every 50 ms here).
    clockOffsetMs = 29 * dayMs
    await sleep(300)
    expect((await owner.call('GET', deliveriesPath)).body.deliveries).toHaveLength(1)
    clockOffsetMs = 31 * dayMs
    const swept = await eventually(
      () => owner.call('GET', deliveriesPath),
      (answer) => answer.body?.deliveries?.length === 0,
    )
    expect(swept.body.deliveries).toEqual([])
  })
})
