/**
 * Flow code through the public Chat API (§4.11.6, §4.11.9, §4.16): server-side code runs in the
 * sandbox, a runaway expression is stopped and logged while the flow goes on, and a flow that
 * loops without waiting answers 408 instead of hanging.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiClient } from '../helpers/api-client.js'
import { type ChatClient, createChatClient, startConversation, textsOf } from '../helpers/chat-conversation.js'
import { importAndPublish } from '../helpers/chat-fixtures.js'
import { buildTypebot, type TestBlock, text, textInput } from '../helpers/flow-builder.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { createTestUser, type TestUser } from '../helpers/users.js'

let server: TestServer
let owner: TestUser
let chat: ChatClient

const code = (id: string, expressionToEvaluate: string): TestBlock => ({
  id,
  type: 'Set variable',
  options: { variableId: 'vOut', expressionToEvaluate, isCode: true },
})
const serverScript = (id: string, content: string): TestBlock => ({ id, type: 'Code', options: { content, isExecutedOnClient: false } })

function codeBot(blocks: TestBlock[]) {
  return buildTypebot({
    variables: [
      { id: 'vOut', name: 'Out' },
      { id: 'vIn', name: 'In', value: '41' },
    ],
    groups: [{ id: 'g1', title: 'Code', blocks: [...blocks, textInput('i1', 'vIn')] }],
  })
}

beforeAll(async () => {
  server = await startTestServer({ SANDBOX_TIMEOUT_MS: '300' })
  owner = await createTestUser(server)
  chat = createChatClient(createApiClient(server.url))
  await importAndPublish(owner, [
    { fixture: codeBot([code('s1', 'return {{In}} + 1'), text('t1', 'Out: {{Out}}')]), publicId: 'sandbox-compute' },
    {
      fixture: codeBot([
        code('s1', 'while (true) {}\nreturn 1'),
        text('t1', 'Still here'),
        code('s2', 'return [typeof process, typeof require, typeof fetch].join(",")'),
        text('t2', 'Globals: {{Out}}'),
        code('s3', 'return globalThis.constructor.constructor("return typeof process")()'),
        text('t3', 'Escape: {{Out}}'),
      ]),
      publicId: 'sandbox-hostile',
    },
    {
      fixture: codeBot([
        serverScript('c1', 'setVariable("Out", "from script " + {{In}})'),
        text('t1', '{{Out}}'),
        serverScript('c2', 'for (;;) {}'),
        text('t2', 'After the loop'),
      ]),
      publicId: 'sandbox-script',
    },
    {
      fixture: buildTypebot({
        variables: [],
        groups: [{ id: 'g1', title: 'Loop', blocks: [{ id: 'j1', type: 'Jump', options: { groupId: 'g1' } }] }],
      }),
      publicId: 'sandbox-endless-walk',
    },
  ])
})
afterAll(async () => server.close())

describe('code in flows', () => {
  it('evaluates a Set variable expression with the variables as values', async () => {
    const { start, reply } = await startConversation(chat, 'sandbox-compute')
    expect(textsOf(start)).toEqual(['Out: 42'])
    expect(start.body).not.toHaveProperty('logs')
    expect((await reply('99')).body).toEqual({ messages: [] })
  })

  it('stops a runaway expression, logs it and goes on; the host stays out of reach', async () => {
    const { start } = await startConversation(chat, 'sandbox-hostile')
    expect(textsOf(start)).toEqual(['Still here', 'Globals: undefined,undefined,undefined', 'Escape: undefined'])
    expect(start.body.logs).toEqual([
      expect.objectContaining({
        status: 'error',
        description: expect.stringContaining('0.3 seconds'),
        context: 'While evaluating set variable expression',
      }),
    ])
    expect(start.body.input.type).toBe('text input')
  })

  it('runs a server-side Code block with setVariable, and stops its endless loop', async () => {
    const { start } = await startConversation(chat, 'sandbox-script')
    expect(textsOf(start)).toEqual(['from script 41', 'After the loop'])
    expect(start.body.logs).toEqual([expect.objectContaining({ status: 'error', description: expect.stringContaining('0.3 seconds') })])
  })

  it('answers 408 for a flow that loops without ever waiting, and keeps serving', async () => {
    const endless = await chat.start('sandbox-endless-walk')
    expect(endless.status).toBe(408)
    expect(endless.body.code).toBe('TIMEOUT')
    expect((await chat.start('sandbox-compute')).status).toBe(200)
  })
})
