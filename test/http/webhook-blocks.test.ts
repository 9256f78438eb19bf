/** Typebot's Zapier/Make endpoints: webhookBlocks, subscribe, unsubscribe, getResultExample. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addWorkspaceMember } from '../../src/typebots/add-workspace-member.js'
import { createApiClient } from '../helpers/api-client.js'
import { expectBuilderApiShape } from '../helpers/builder-api-validator.js'
import { createChatClient, startConversation } from '../helpers/chat-conversation.js'
import { importAndPublish } from '../helpers/chat-fixtures.js'
import { buildTypebot, text, textInput } from '../helpers/flow-builder.js'
import { startLocalHttpTarget } from '../helpers/local-http-target.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { createTestUser, type TestUser } from '../helpers/users.js'

const zapBot = buildTypebot({
  variables: [
    { id: 'v-name', name: 'Name' },
    { id: 'v-email', name: 'Email' },
    { id: 'v-plan', name: 'Plan', value: 'free' },
  ],
  groups: [
    {
      id: 'g-contact',
      title: 'Contact',
      blocks: [textInput('i-name', 'v-name'), { id: 'i-email', type: 'email input', options: { variableId: 'v-email' } }],
      next: 'g-send',
    },
    { id: 'g-send', title: 'Send', blocks: [{ id: 'z-1', type: 'Zapier', options: {} }, text('t-done', 'Done {{Name}}')] },
    {
      id: 'g-other',
      title: 'Other',
      blocks: [{ id: 'w-1', type: 'Webhook', options: { webhook: { url: 'https://example.com/own', method: 'POST' } } }],
    },
  ],
})

let server: TestServer
let owner: TestUser
let typebotId: string
let target: Awaited<ReturnType<typeof startLocalHttpTarget>>
beforeAll(async () => {
  server = await startTestServer({ ALLOW_PRIVATE_HTTP_TARGETS: 'true' })
  owner = await createTestUser(server)
  target = await startLocalHttpTarget()
  ;[typebotId] = (await importAndPublish(owner, [{ fixture: zapBot, publicId: 'zap' }])) as [string]
})
afterAll(async () => {
  await target.close()
  await server.close()
})

async function chatThrough() {
  const conversation = await startConversation(createChatClient(createApiClient(server.url)), 'zap')
  await conversation.reply('Ada')
  return conversation.reply('ada@example.com')
}

describe('HTTP request blocks for Zapier and Make', () => {
  it('lists the blocks, and a subscription reaches running chats without a new publish', async () => {
    const hookUrl = `${target.origin}/api/mock/mirror-body?zap=1`
    const listed = await owner.call('GET', `/v1/typebots/${typebotId}/webhookBlocks`)
    expectBuilderApiShape(listed)
    expect(listed.body).toEqual({
      webhookBlocks: [
        { id: 'z-1', type: 'Zapier', label: 'Send > z-1' },
        { id: 'w-1', type: 'Webhook', label: 'Other > w-1', url: 'https://example.com/own' },
      ],
    })
    const subscribed = await owner.call('POST', `/v1/typebots/${typebotId}/webhookBlocks/z-1/subscribe`, { body: { url: hookUrl } })
    expect(subscribed).toMatchObject({ status: 200, body: { id: 'z-1', url: hookUrl } })
    expectBuilderApiShape(subscribed)
    expect((await owner.call('GET', `/v1/typebots/${typebotId}/webhookBlocks`)).body.webhookBlocks[0]).toMatchObject({ url: hookUrl })

    const done = await chatThrough()
    expect(done.status).toBe(200)
    const sent = target.requests.filter((request) => request.path.includes('zap=1'))
    expect(sent).toHaveLength(1)
    expect(JSON.parse(sent[0]?.body ?? '')).toMatchObject({
      Name: 'Ada',
      Email: 'ada@example.com',
      Plan: 'free',
      submittedAt: expect.any(String),
    })

    const unsubscribed = await owner.call('POST', `/v1/typebots/${typebotId}/webhookBlocks/z-1/unsubscribe`)
    expect(unsubscribed).toMatchObject({ status: 200, body: { id: 'z-1', url: null } })
    expectBuilderApiShape(unsubscribed)
    await chatThrough()
    expect(target.requests.filter((request) => request.path.includes('zap=1'))).toHaveLength(1)
  })

  it('gives a sample of what the block will send', async () => {
    const example = await owner.call('GET', `/v1/typebots/${typebotId}/webhookBlocks/z-1/getResultExample`)
    expect(example.status, JSON.stringify(example.body)).toBe(200)
    expectBuilderApiShape(example)
    expect(example.body.resultExample).toEqual({
      message: 'This is a sample result, it has been generated ⬇️',
      submittedAt: expect.any(String),
      Name: 'answer value',
      Email: owner.email,
      Plan: 'free',
    })
    const unknownBlock = await owner.call('GET', `/v1/typebots/${typebotId}/webhookBlocks/nope/getResultExample`)
    expect(unknownBlock.status).toBe(404)
    expectBuilderApiShape(unknownBlock)
  })

  it('needs write access to subscribe and a block that exists', async () => {
    const guest = await createTestUser(server)
    await addWorkspaceMember(server.store, { workspaceId: owner.workspaceId, email: guest.email, role: 'GUEST' })
    expect((await guest.call('GET', `/v1/typebots/${typebotId}/webhookBlocks`)).status).toBe(200)
    const refused = await guest.call('POST', `/v1/typebots/${typebotId}/webhookBlocks/z-1/subscribe`, {
      body: { url: 'https://x.example' },
    })
    expect(refused.status).toBe(403)
    expectBuilderApiShape(refused)
    const missing = await owner.call('POST', `/v1/typebots/${typebotId}/webhookBlocks/t-done/subscribe`, {
      body: { url: 'https://x.example' },
    })
    expect(missing).toMatchObject({ status: 404, body: { message: 'HttpRequest block not found' } })
    expectBuilderApiShape(missing)
    expect((await createApiClient(server.url)('GET', `/v1/typebots/${typebotId}/webhookBlocks`)).status).toBe(401)
  })
})
