/**
 * Body limits per route and the request timeout: a large client log is refused, a client that
 * trickles its body is cut off, and other requests are answered as usual meanwhile.
 */
import { readdirSync } from 'node:fs'
import { connect } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ApiClient, createApiClient } from '../helpers/api-client.js'
import { importAndPublish } from '../helpers/chat-fixtures.js'
import { buildTypebot, text } from '../helpers/flow-builder.js'
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
  const fileBot = buildTypebot({
    variables: [{ id: 'v-file', name: 'File' }],
    groups: [
      {
        id: 'g1',
        title: 'File',
        blocks: [text('t1', 'Send a file'), { id: 'i-file', type: 'file input', options: { variableId: 'v-file' } }],
      },
    ],
  })
  await importAndPublish(owner, [
    { fixture: helloTypebot, publicId: 'limits' },
    { fixture: fileBot, publicId: 'limits-file' },
  ])
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
  it('cuts off a client that trickles a chat body, with 408 TIMEOUT, while /api/healthz stays fast', async () => {
    const received = await trickleWhileProbing(
      `POST /api/v1/sessions/${sessionId}/continueChat HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"message":"`,
    )
    expect(received).toMatch(/^HTTP\/1\.1 408 /)
    expect(JSON.parse(received.slice(received.indexOf('\r\n\r\n') + 4))).toEqual({
      code: 'TIMEOUT',
      message: 'Request timeout: the request was not received in time',
    })
  })

  it('cuts off a client that trickles an upload, while /api/healthz stays fast; the upload URL is used up', async () => {
    const started = await call('POST', '/v1/typebots/limits-file/startChat', { body: {} })
    const generated = await call('POST', '/v3/generate-upload-url', {
      body: { sessionId: started.body.sessionId, blockId: 'i-file', fileName: 'slow.txt', fileType: 'text/plain', fileSize: 1000 },
    })
    expect(generated.status).toBe(200)
    const { pathname } = new URL(generated.body.presignedUrl)
    const received = await trickleWhileProbing(
      `PUT ${pathname} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n`,
    )
    expect(received).toMatch(/^HTTP\/1\.1 408 /)
    expect(JSON.parse(received.slice(received.indexOf('\r\n\r\n') + 4))).toMatchObject({ code: 'TIMEOUT' })
    // Nothing half-written is served, and no temporary file is left behind.
    expect((await fetch(generated.body.fileUrl)).status).toBe(404)
    const retried = await fetch(generated.body.presignedUrl, { method: 'PUT', body: 'too late', headers: { 'content-type': 'text/plain' } })
    expect(retried.status).toBe(403)
    // The part file goes once the server has seen the connection end; give it a moment.
    const tmp = join(server.config.uploads.directory, 'tmp')
    for (let wait = 0; wait < 50 && readdirSync(tmp).length > 0; wait++) await new Promise((resolve) => setTimeout(resolve, 100))
    expect(readdirSync(tmp)).toEqual([])
  })
})

/**
 * Sends `head`, then one byte every 100 ms, while probing /api/healthz; resolves with what the
 * server answered once it closed the connection (REQUEST_TIMEOUT_MS is 1 s here).
 */
async function trickleWhileProbing(head: string): Promise<string> {
  const { port } = new URL(server.url)
  const socket = connect(Number(port), '127.0.0.1')
  socket.on('error', () => undefined)
  let received = ''
  socket.on('data', (chunk) => {
    received += chunk.toString()
  })
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()))
  socket.write(head)
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
  return received
}
