/**
 * HTTP request blocks through the public Chat API (§7.1, §7.2, §9.4 webhook.json), against a
 * local server: the server runs with ALLOW_PRIVATE_HTTP_TARGETS=true so 127.0.0.1 is reachable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ApiResponse, createApiClient } from '../helpers/api-client.js'
import { expectBuilderApiShape } from '../helpers/builder-api-validator.js'
import { type ChatClient, createChatClient, startConversation, startPreview, textsOf } from '../helpers/chat-conversation.js'
import { importAndPublish, readFixture } from '../helpers/chat-fixtures.js'
import { retarget, startLocalHttpTarget } from '../helpers/local-http-target.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { createTestUser, type TestUser } from '../helpers/users.js'

let server: TestServer
let target: Awaited<ReturnType<typeof startLocalHttpTarget>>
let owner: TestUser
let chat: ChatClient
let webhookId: string
let listenerId: string

beforeAll(async () => {
  target = await startLocalHttpTarget()
  server = await startTestServer({ ALLOW_PRIVATE_HTTP_TARGETS: 'true' })
  owner = await createTestUser(server)
  chat = createChatClient(createApiClient(server.url))
  ;[webhookId, listenerId] = (await importAndPublish(owner, [
    { fixture: retarget(readFixture('webhook.json'), target.origin), publicId: 'integrations-webhook' },
    { fixture: 'webhookListener.json', publicId: 'integrations-listener' },
  ])) as [string, string]
})
afterAll(async () => {
  await server.close()
  await target.close()
})

const firstData = '{"name":"John","age":30,"gender":"Male"}'
const secondData = '{"name":"John","age":25,"gender":"male"}'
const outcomeLogs = ['Webhook successfuly executed.', 'Webhook returned an error.']

/** Drives webhook.json to its end; `reply` is a live or a preview conversation. */
async function runWebhookConversation(reply: (message: string) => Promise<ApiResponse>) {
  const failing = await reply('Send failing webhook')
  const name = await reply('John')
  const age = await reply('30')
  const gender = await reply('Male')
  return { failing, name, age, gender }
}

describe('webhook.json in a live conversation', () => {
  it('sends the bodies, maps the answers into the bubbles and hides the outcome logs', async () => {
    const sent = target.requests.length
    const { start, reply } = await startConversation(chat, 'integrations-webhook')
    expect(start.body.messages).toEqual([])
    expect(start.body.input).toMatchObject({ type: 'choice input', items: [expect.objectContaining({ content: 'Send failing webhook' })] })

    const { failing, name, age, gender } = await runWebhookConversation(reply)
    // The failing request does not stop the flow; its error log is not shown to live clients.
    expect(failing.body).toEqual({ messages: [], input: expect.objectContaining({ type: 'text input' }), clientSideActions: [], logs: [] })
    expect(name.body.input.type).toBe('number input')
    expect(age.body.input).toMatchObject({
      type: 'choice input',
      items: [expect.objectContaining({ content: 'Male' }), expect.objectContaining({ content: 'Female' })],
    })
    expect(textsOf(gender)).toEqual([`Data of first request:${firstData}`, `Data of second request:${secondData}`])
    expect(gender.body).toMatchObject({ clientSideActions: [], logs: [] })
    expect(gender.body).not.toHaveProperty('input')

    const requests = target.requests.slice(sent)
    expect(requests.map((request) => [request.method, request.path])).toEqual([
      ['POST', '/api/mock/fail'],
      ['POST', '/api/mock/mirror-body'],
      ['POST', '/api/mock/mirror-body'],
    ])
    // The default body of the failing request: the answers so far (keyed by group title for an
    // input without variable) and the variables that have a value, plus submittedAt.
    expect(JSON.parse(requests[0]!.body)).toEqual({ 'Group #4': 'Send failing webhook', submittedAt: expect.any(String) })
    expect(JSON.parse(requests[1]!.body)).toEqual(JSON.parse(firstData))
    expect(requests[1]!.headers['content-type']).toContain('application/json')
    expect(JSON.parse(requests[2]!.body)).toEqual(JSON.parse(secondData))

    // Hidden from the responses, the outcome logs are stored with the result.
    const logs = await owner.call('GET', `/v1/typebots/${webhookId}/results/${start.body.resultId}/logs`)
    expect(logs.status).toBe(200)
    expectBuilderApiShape(logs)
    expect(logs.body.logs.map((log: any) => [log.status, log.description])).toEqual([
      ['error', 'Webhook returned an error.'],
      ['success', 'Webhook successfuly executed.'],
      ['success', 'Webhook successfuly executed.'],
    ])
    const answers = await owner.call('GET', `/v1/typebots/${webhookId}/results/${start.body.resultId}`)
    expectBuilderApiShape(answers)
    expect(answers.body.result.answers.map((answer: any) => answer.content)).toEqual(['Send failing webhook', 'John', '30', 'Male'])
    // Session variables (Name, Age, Gender) are not stored on the result (§2.5).
    expect(answers.body.result.variables.map((variable: any) => variable.name).sort()).toEqual(['Data', 'Full body'])
  })
})

describe('webhook.json in preview', () => {
  it('shows the outcome logs', async () => {
    const preview = await startPreview(owner, webhookId)
    const { failing, gender } = await runWebhookConversation(preview.reply)
    expect(failing.body.logs).toEqual([expect.objectContaining({ status: 'error', description: 'Webhook returned an error.' })])
    expect(textsOf(gender)).toEqual([`Data of first request:${firstData}`, `Data of second request:${secondData}`])
    expect(gender.body.logs.map((log: any) => log.description)).toEqual(['Webhook successfuly executed.', 'Webhook successfuly executed.'])
    for (const log of [...failing.body.logs, ...gender.body.logs]) {
      expect(outcomeLogs).toContain(log.description)
      expect(JSON.parse(log.details)).toMatchObject({ request: expect.objectContaining({ method: 'POST' }) })
    }
  })
})

describe('webhookListener.json: a flow that waits until it is called (§4.11.8, §3.8.2)', () => {
  const webhookBlockId = 'k1q2uoeat8xp7easiuwr6r56'

  it('waits with listenForWebhook, takes the payload delivered by executeWebhook, and goes on', async () => {
    const { start, reply } = await startConversation(chat, 'integrations-listener')
    const resultId: string = start.body.resultId
    expect(textsOf(start)).toEqual([resultId, 'Waiting for webhook...'])
    expect(start.body.clientSideActions).toEqual([
      { type: 'listenForWebhook', expectsDedicatedReply: true, lastBubbleBlockId: 'w5z70e8hjass23tke8vs367o' },
    ])
    expect(start.body).not.toHaveProperty('input')

    const executePath = `/v1/typebots/${listenerId}/blocks/${webhookBlockId}/results/${resultId}/executeWebhook`
    expect((await createApiClient(server.url)('POST', executePath, { body: { ok: true } })).status).toBe(401)
    const wrongBlock = await owner.call(
      'POST',
      `/v1/typebots/${listenerId}/blocks/uofjl80hmaz3y3etmgpmyrq7/results/${resultId}/executeWebhook`,
      { body: { ok: true } },
    )
    expect(wrongBlock.status).toBe(404)
    const executed = await owner.call('POST', executePath, { body: { ok: true } })
    expect(executed.status, JSON.stringify(executed.body)).toBe(200)
    expect(executed.body).toEqual({ message: 'OK' })

    const resumed = await reply()
    expect(textsOf(resumed)).toEqual(['Hurray!'])
    expect(resumed.body).toMatchObject({ clientSideActions: [], logs: [] })
    expect(resumed.body).not.toHaveProperty('input')
    expect((await owner.call('POST', executePath, { body: { ok: true } })).status).toBe(404)
  })

  it('also resumes with the relayed text sent by the client itself', async () => {
    const { reply } = await startConversation(chat, 'integrations-listener')
    expect(textsOf(await reply('{"data":{"ok":true}}'))).toEqual(['Hurray!'])
  })
})
