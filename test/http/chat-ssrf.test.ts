/**
 * ssrf-test.json through the public Chat API with private targets refused (the default): the
 * HTTP request block answers status 400 with a "Security validation failed" log, the flow goes on,
 * and nothing reaches the target. Only refused addresses are used: no traffic leaves the machine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiClient } from '../helpers/api-client.js'
import { type ChatClient, createChatClient, startConversation, startPreview, textsOf } from '../helpers/chat-conversation.js'
import { importAndPublish } from '../helpers/chat-fixtures.js'
import { startLocalHttpTarget } from '../helpers/local-http-target.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { createTestUser, type TestUser } from '../helpers/users.js'

let server: TestServer
let target: Awaited<ReturnType<typeof startLocalHttpTarget>>
let owner: TestUser
let chat: ChatClient
let ssrfId: string

beforeAll(async () => {
  target = await startLocalHttpTarget()
  server = await startTestServer()
  owner = await createTestUser(server)
  chat = createChatClient(createApiClient(server.url))
  ;[ssrfId] = (await importAndPublish(owner, [{ fixture: 'ssrf-test.json', publicId: 'ssrf-test' }])) as [string]
})
afterAll(async () => {
  await server.close()
  await target.close()
})

describe('ssrf-test.json with private targets refused', () => {
  it.each([
    'http://169.254.169.254/latest/meta-data/',
    'http://10.0.0.1/internal',
    'http://127.0.0.1:3000/api/auth/session',
    'http://[::1]:3000/',
    'http://localhost:3000/',
  ])('refuses %s: status 400 in the bubble, the refusal in the logs, and the flow loops on', async (url) => {
    const { start, reply } = await startConversation(chat, 'ssrf-test')
    expect(textsOf(start)).toEqual(['Enter a URL to fetch (testing SSRF protection):'])
    expect(start.body.input).toMatchObject({ id: 'blk-url-input', type: 'text input' })

    const fetched = await reply(url)
    expect(fetched.status).toBe(200)
    const [status, prompt] = textsOf(fetched)
    expect(status).toMatch(/^Status: 400 — Response: /)
    expect(prompt).toBe('Enter a URL to fetch (testing SSRF protection):')
    expect(fetched.body.input).toMatchObject({ id: 'blk-url-input' })
    expect(fetched.body.logs).toEqual([
      expect.objectContaining({ status: 'error', description: expect.stringMatching(/^Security validation failed/) }),
    ])
    expect(fetched.body.clientSideActions).toEqual([])

    const logs = await owner.call('GET', `/v1/typebots/${ssrfId}/results/${start.body.resultId}/logs`)
    expect(logs.body.logs.map((log: any) => log.description)).toEqual([expect.stringMatching(/^Security validation failed/)])
  })

  it('never calls a refused target that is actually listening', async () => {
    const { reply } = await startConversation(chat, 'ssrf-test')
    const fetched = await reply(`${target.origin}/api/mock/mirror-body`)
    expect(textsOf(fetched)[0]).toMatch(/^Status: 400/)
    expect(target.requests).toEqual([])
  })

  it('refuses the same way in preview', async () => {
    const preview = await startPreview(owner, ssrfId)
    const fetched = await preview.reply('http://169.254.169.254/latest/meta-data/')
    expect(textsOf(fetched)[0]).toMatch(/^Status: 400/)
    expect(fetched.body.logs[0].description).toMatch(/^Security validation failed/)
  })
})

describe('cloud metadata addresses with ALLOW_PRIVATE_HTTP_TARGETS=true', () => {
  let permissive: TestServer

  beforeAll(async () => {
    permissive = await startTestServer({ ALLOW_PRIVATE_HTTP_TARGETS: 'true' })
    await importAndPublish(await createTestUser(permissive), [{ fixture: 'ssrf-test.json', publicId: 'ssrf-test' }])
  })
  afterAll(async () => permissive.close())

  it.each(['http://169.254.169.254/latest/meta-data/', 'http://[fd00:ec2::254]/latest/meta-data/', 'http://[::ffff:169.254.169.254]/'])(
    'still refuses %s',
    async (url) => {
      const { reply } = await startConversation(createChatClient(createApiClient(permissive.url)), 'ssrf-test')
      const fetched = await reply(url)
      expect(textsOf(fetched)[0]).toMatch(/^Status: 400 — Response: /)
      expect(fetched.body.logs).toEqual([
        expect.objectContaining({ status: 'error', description: expect.stringMatching(/cloud metadata address .* is not allowed/) }),
      ])
    },
  )
})
