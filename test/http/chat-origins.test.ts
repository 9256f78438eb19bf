/**
 * Who may talk to a bot from a browser (§3.0.1, §3.0.5): `settings.security.allowedOrigins` on
 * startChat, continueChat and client logs, and the CORS headers embeds on other sites need.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiClient } from '../helpers/api-client.js'
import { type ChatClient, createChatClient, startPreview, textsOf } from '../helpers/chat-conversation.js'
import { importAndPublish } from '../helpers/chat-fixtures.js'
import { buildTypebot, text, textInput } from '../helpers/flow-builder.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { createTestUser, type TestUser } from '../helpers/users.js'

let server: TestServer
let owner: TestUser
let chat: ChatClient
let securedId: string

const allowed = 'https://allowed.example'
const stranger = 'https://stranger.example'
const forbidden = { message: 'Origin not allowed', code: 'FORBIDDEN' }

function nameBot(allowedOrigins?: string[]) {
  const document = buildTypebot({
    variables: [{ id: 'v-name', name: 'Name' }],
    groups: [
      { id: 'g1', title: 'Ask', blocks: [text('t1', 'Name?'), textInput('i1', 'v-name')], next: 'g2' },
      { id: 'g2', title: 'Again', blocks: [text('t2', 'Hi {{Name}}'), textInput('i2', 'v-name')], next: 'g2' },
    ],
  })
  return allowedOrigins ? { ...document, settings: { security: { allowedOrigins } } } : document
}

beforeAll(async () => {
  server = await startTestServer()
  owner = await createTestUser(server)
  chat = createChatClient(createApiClient(server.url))
  ;[securedId] = (await importAndPublish(owner, [
    { fixture: nameBot([allowed]), publicId: 'origins-secured' },
    { fixture: nameBot(), publicId: 'origins-open' },
    { fixture: nameBot([]), publicId: 'origins-empty-list' },
  ])) as [string]
})
afterAll(async () => server.close())

const from = (origin: string) => ({ origin })

describe('settings.security.allowedOrigins', () => {
  it('lets startChat through for a listed origin or no Origin header, and refuses another origin', async () => {
    const refused = await chat.start('origins-secured', {}, from(stranger))
    expect(refused.status).toBe(403)
    expect(refused.body).toEqual(forbidden)
    expect((await chat.start('origins-secured', {}, from(allowed))).status).toBe(200)
    expect((await chat.start('origins-secured')).status).toBe(200)
  })

  it('refuses continueChat from another origin without touching the session', async () => {
    const start = await chat.start('origins-secured', {}, from(allowed))
    const sessionId: string = start.body.sessionId
    const refused = await chat.reply(sessionId, 'Mallory', {}, from(stranger))
    expect(refused.status).toBe(403)
    expect(refused.body).toEqual(forbidden)
    // Still waiting on the first input: the refused reply was not an answer.
    expect(textsOf(await chat.reply(sessionId, 'Ada', {}, from(allowed)))).toEqual(['Hi Ada'])
    expect(textsOf(await chat.reply(sessionId, 'Grace'))).toEqual(['Hi Grace'])
  })

  it('refuses client logs from another origin', async () => {
    const start = await chat.start('origins-secured')
    const refused = await chat.clientLogs(start.body.sessionId, [{ description: 'from elsewhere' }], 'v2', from(stranger))
    expect(refused.status).toBe(403)
    expect(refused.body).toEqual(forbidden)
    const legacy = await chat.clientLogs(start.body.sessionId, [{ description: 'from elsewhere' }], 'v1', from(stranger))
    expect(legacy.status).toBe(403)
    expect((await chat.clientLogs(start.body.sessionId, [{ description: 'from home' }], 'v2', from(allowed))).status).toBe(200)
    const logs = await owner.call('GET', `/v1/typebots/${securedId}/results/${start.body.resultId}/logs`)
    expect(logs.body.logs.map((log: any) => log.description)).toEqual(['from home'])
  })

  it('lets any origin in without a list or with an empty one, and in preview', async () => {
    for (const publicId of ['origins-open', 'origins-empty-list']) {
      const start = await chat.start(publicId, {}, from(stranger))
      expect(start.status).toBe(200)
      expect((await chat.reply(start.body.sessionId, 'Ada', {}, from(stranger))).status).toBe(200)
    }
    const preview = await startPreview(owner, securedId)
    expect((await chat.reply(preview.sessionId, 'Ada', {}, from(stranger))).status).toBe(200)
  })
})

describe('CORS for embeds on other sites', () => {
  const embed = 'https://customer-site.example'

  it.each([
    '/api/v1/typebots/origins-open/startChat',
    '/api/v1/sessions/any-session/continueChat',
    '/api/v2/sessions/any-session/clientLogs',
  ])('answers the preflight of %s', async (path) => {
    const response = await fetch(`${server.url}${path}`, {
      method: 'OPTIONS',
      headers: { origin: embed, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    })
    expect(response.status).toBeLessThan(300)
    expect([embed, '*']).toContain(response.headers.get('access-control-allow-origin'))
    expect(response.headers.get('access-control-allow-methods')).toContain('POST')
    expect(response.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('content-type')
  })

  it('sets access-control-allow-origin on chat answers, errors included', async () => {
    const start = await chat.start('origins-open', {}, from(embed))
    expect([embed, '*']).toContain(start.headers.get('access-control-allow-origin'))
    const reply = await chat.reply(start.body.sessionId, 'Ada', {}, from(embed))
    expect([embed, '*']).toContain(reply.headers.get('access-control-allow-origin'))
    // The embed must be able to read why it was refused.
    const refused = await chat.start('origins-secured', {}, from(embed))
    expect(refused.status).toBe(403)
    expect([embed, '*']).toContain(refused.headers.get('access-control-allow-origin'))
    const missing = await chat.reply('no-such-session', 'Ada', {}, from(embed))
    expect(missing.status).toBe(404)
    expect([embed, '*']).toContain(missing.headers.get('access-control-allow-origin'))
  })
})
