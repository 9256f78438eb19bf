import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient, createOwner, importAndPublish, type Owner, textOf } from '../helpers/chat-fixtures.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'

const webhookBlockId = 'k1q2uoeat8xp7easiuwr6r56'

let server: TestServer
let owner: Owner
let typebotId: string
beforeAll(async () => {
  server = await startTestServer()
  owner = await createOwner(server)
  ;[typebotId] = (await importAndPublish(owner, [{ fixture: 'webhookListener.json', publicId: 'webhook-listener' }])) as [string]
})
afterAll(async () => server.close())

describe('webhook block resumed by executeWebhook (webhookListener.json)', () => {
  it('waits for the webhook, then continues with "Hurray!" once it is called', async () => {
    const chat = createClient(server.url)
    const start = await chat.post('/api/v1/typebots/webhook-listener/startChat', {})
    expect(start.status, JSON.stringify(start.body)).toBe(200)
    const { sessionId, resultId } = start.body
    expect(start.body.messages.map(textOf)).toEqual([resultId, 'Waiting for webhook...'])
    expect(start.body.clientSideActions).toEqual([expect.objectContaining({ type: 'listenForWebhook', expectsDedicatedReply: true })])

    const path = `/api/v1/typebots/${typebotId}/blocks/${webhookBlockId}/results/${resultId}/executeWebhook`
    expect((await createClient(server.url).post(path, { hello: 'world' })).status).toBe(401)
    const called = await owner.client.post(path, { hello: 'world' })
    expect(called.status, JSON.stringify(called.body)).toBe(200)
    expect(called.body).toEqual({ message: 'OK' })

    const resumed = await chat.post(`/api/v1/sessions/${sessionId}/continueChat`, {})
    expect(resumed.status, JSON.stringify(resumed.body)).toBe(200)
    expect(resumed.body.messages.map(textOf)).toEqual(['Hurray!'])
  })

  it('answers 404 for a result without a session waiting on that block', async () => {
    const unknownResult = await owner.client.post(`/api/v1/typebots/${typebotId}/blocks/${webhookBlockId}/results/nope/executeWebhook`, {})
    expect(unknownResult.status).toBe(404)
    const start = await createClient(server.url).post('/api/v1/typebots/webhook-listener/startChat', {})
    const wrongBlock = await owner.client.post(
      `/api/v1/typebots/${typebotId}/blocks/other-block/results/${start.body.resultId}/executeWebhook`,
      {},
    )
    expect(wrongBlock.status).toBe(404)
    expect(wrongBlock.body.message).toBe('Webhook block not found')
  })
})
