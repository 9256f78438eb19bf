/**
 * Body limits per route and the request timeout: a large client log is refused, a client that
 * trickles its body is cut off, and other requests are answered as usual meanwhile.
 */
import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ApiClient, createApiClient } from '../helpers/api-client.js'
import { importAndPublish } from '../helpers/chat-fixtures.js'
import { helloTypebot } from '../helpers/hello-typebot.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { createTestUser, type TestUser } from '../helpers/users.js'

let server: TestServer
let owner: TestUser
let call: ApiClient
let sessionId: string
beforeAll(async () => {
  server = await startTestServer({ REQUEST_TIMEOUT_MS: '1000' })
  owner = await createTestUser(server)
  await importAndPublish(owner, [{ fixture: helloTypebot, publicId: 'limits' }])
  call = createApiClient(server.url)
  sessionId = (await call('POST', '/v1/typebots/limits/startChat', { body: {} })).body.sessionId
})
afterAll(async () => server.close())

describe('body limits', () => {
  it.each(['v1', 'v2'])('refuses a 100 KB %s clientLogs with 413', async (version) => {
    const response = await call('POST', `/${version}/sessions/${sessionId}/clientLogs`, {
      body: { clientLogs: [{ description: 'x'.repeat(100_000) }] },
    })
    expect(response.status).toBe(413)
    expect(response.body).toEqual({ code: 'PAYLOAD_TOO_LARGE', message: 'Request body is too large' })
  })

  it('refuses a continueChat over CHAT_BODY_LIMIT (1 MB) and keeps the session waiting', async () => {
    const response = await call('POST', `/v1/sessions/${sessionId}/continueChat`, { body: { message: 'x'.repeat(1_100_000) } })
    expect(response.status).toBe(413)
    const session = await owner.call('GET', `/v1/sessions/${sessionId}`)
    expect(session.body.session.currentBlock.id).toBe('input-1')
  })

  it('keeps BODY_LIMIT (10 MB) for the management API: a 2 MB typebot is accepted', async () => {
    const typebot = { ...helloTypebot, name: 'x'.repeat(2_000_000) }
    const imported = await owner.call('POST', '/v1/typebots/import', { body: { workspaceId: owner.workspaceId, typebot } })
    expect(imported.status).toBe(200)
  })
})

describe('REQUEST_TIMEOUT_MS', () => {
  it('cuts off a client that trickles its body, with 408 TIMEOUT, while /api/healthz stays fast', async () => {
    const { port } = new URL(server.url)
    const socket = connect(Number(port), '127.0.0.1')
    let received = ''
    socket.on('data', (chunk) => {
      received += chunk.toString()
    })
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()))
    socket.write(
      `POST /api/v1/sessions/${sessionId}/continueChat HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"message":"`,
    )
    const trickle = setInterval(() => socket.writable && socket.write('a'), 100)
    try {
      for (let probe = 0; probe < 5; probe++) {
        const startedAt = performance.now()
        expect((await call('GET', '/healthz')).status).toBe(200)
        expect(performance.now() - startedAt).toBeLessThan(1_000)
      }
      const outcome = await Promise.race([closed.then(() => 'closed'), new Promise((resolve) => setTimeout(resolve, 10_000, 'still open'))])
      expect(outcome).toBe('closed')
    } finally {
      clearInterval(trickle)
      socket.destroy()
    }
    expect(received).toMatch(/^HTTP\/1\.1 408 /)
    expect(JSON.parse(received.slice(received.indexOf('\r\n\r\n') + 4))).toEqual({
      code: 'TIMEOUT',
      message: 'Request timeout: the request was not received in time',
    })
  })
})
