import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiClient } from '../helpers/api-client.js'
import { importAndPublish, textOf } from '../helpers/chat-fixtures.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { createTestUser, type TestUser } from '../helpers/users.js'

const webhookBlockId = 'k1q2uoeat8xp7easiuwr6r56'

let server: TestServer
let owner: TestUser
let typebotId: string
beforeAll(async () => {
  server = await startTestServer()
  owner = await createTestUser(server)
  ;[typebotId] = (await importAndPublish(owner, [{ fixture: 'webhookListener.json', publicId: 'webhook-listener' }])) as [string]
})
afterAll(async () => server.close())

describe('webhook block resumed by executeWebhook (webhookListener.json)', () => {
  it('waits for the webhook, then continues with "Hurray!" once it is called', async () => {
    const chat = createApiClient(server.url)
    const start = await chat('POST', '/v1/typebots/webhook-listener/startChat', { body: {} })
    expect(start.status, JSON.stringify(start.body)).toBe(200)
    const { sessionId, resultId } = start.body
    expect(start.body.messages.map(textOf)).toEqual([resultId, 'Waiting for webhook...'])
    expect(start.body.clientSideActions).toEqual([expect.objectContaining({ type: 'listenForWebhook', expectsDedicatedReply: true })])

    const path = `/v1/typebots/${typebotId}/blocks/${webhookBlockId}/results/${resultId}/executeWebhook`
    expect((await createApiClient(server.url)('POST', path, { body: { hello: 'world' } })).status).toBe(401)
    const called = await owner.call('POST', path, { body: { hello: 'world' } })
    expect(called.status, JSON.stringify(called.body)).toBe(200)
    expect(called.body).toEqual({ message: 'OK' })

    const resumed = await chat('POST', `/v1/sessions/${sessionId}/continueChat`, { body: {} })
    expect(resumed.status, JSON.stringify(resumed.body)).toBe(200)
    expect(resumed.body.messages.map(textOf)).toEqual(['Hurray!'])
  })

  it('answers 404 for a result without a session waiting on that block', async () => {
    const unknownResult = await owner.call('POST', `/v1/typebots/${typebotId}/blocks/${webhookBlockId}/results/nope/executeWebhook`, {
      body: {},
    })
    expect(unknownResult.status).toBe(404)
    const start = await createApiClient(server.url)('POST', '/v1/typebots/webhook-listener/startChat', { body: {} })
    const wrongBlock = await owner.call(
      'POST',
      `/v1/typebots/${typebotId}/blocks/other-block/results/${start.body.resultId}/executeWebhook`,
      { body: {} },
    )
    expect(wrongBlock.status).toBe(404)
    expect(wrongBlock.body.message).toBe('Webhook block not found')
  })
})
