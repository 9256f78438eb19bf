import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiClient } from '../helpers/api-client.js'
import { createChatClient, startConversation, textsOf } from '../helpers/chat-conversation.js'
import { importAndPublish } from '../helpers/chat-fixtures.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { createTestUser, type TestUser } from '../helpers/users.js'

const webhookBlockId = 'k1q2uoeat8xp7easiuwr6r56'

let server: TestServer
let owner: TestUser
let typebotId: string
beforeAll(async () => {
  server = await startTestServer()
  owner = await createTestUser(server)
  ;[typebotId = ''] = await importAndPublish(owner, [{ fixture: 'webhookListener.json', publicId: 'webhook-poll' }])
})
afterAll(async () => server.close())

describe('a client polling a webhook wait (continueChat without a message)', () => {
  it('gets the wait again, without changing the session, until the webhook is called', async () => {
    const { start, reply, sessionId } = await startConversation(createChatClient(createApiClient(server.url)), 'webhook-poll')
    const before = await server.store.findSession(sessionId)
    for (let poll = 0; poll < 3; poll++) {
      const waiting = await reply()
      expect(waiting.body).toEqual({
        messages: [],
        clientSideActions: [{ type: 'listenForWebhook', expectsDedicatedReply: true }],
        logs: [],
      })
    }
    expect((await server.store.findSession(sessionId))?.rowVersion).toBe(before?.rowVersion)

    const path = `/v1/typebots/${typebotId}/blocks/${webhookBlockId}/results/${start.body.resultId}/executeWebhook`
    expect((await owner.call('POST', path, { body: { paid: true } })).status).toBe(200)
    const resumed = await reply()
    expect(textsOf(resumed)).toEqual(['Hurray!'])
  })
})
