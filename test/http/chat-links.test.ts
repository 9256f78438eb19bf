/**
 * Typebot links through the public Chat API (§4.10, §9.4): linkTypebots/1.json (merged results),
 * 1-merge-disabled.json (a result of its own), 2.json and 3.json.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiClient } from '../helpers/api-client.js'
import {
  answerContents,
  type ChatClient,
  createChatClient,
  findResultOfSession,
  getResult,
  startConversation,
  startPreview,
  textsOf,
} from '../helpers/chat-conversation.js'
import { importAndPublish, readFixture } from '../helpers/chat-fixtures.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { createTestUser, type TestUser } from '../helpers/users.js'

let server: TestServer
let owner: TestUser
let chat: ChatClient
let bot1: string
let bot1MergeDisabled: string
let bot2: string
let bot3: string

beforeAll(async () => {
  server = await startTestServer()
  owner = await createTestUser(server)
  chat = createChatClient(createApiClient(server.url))
  ;[bot3, bot2, bot1, bot1MergeDisabled] = (await importAndPublish(owner, [
    { fixture: 'linkTypebots/3.json', publicId: 'links-3' },
    { fixture: 'linkTypebots/2.json', publicId: 'links-2' },
    { fixture: 'linkTypebots/1.json', publicId: 'links-1' },
    { fixture: 'linkTypebots/1-merge-disabled.json', publicId: 'links-1-merge-disabled' },
  ])) as [string, string, string, string]
})
afterAll(async () => server.close())

const locationAction = {
  type: 'setVariable',
  setVariable: { scriptToExecute: { content: 'location.href', isCode: true, args: [] } },
  expectsDedicatedReply: true,
}

describe('linkTypebots/1.json: same-bot link, then merged links to bots 2 and 3', () => {
  it('runs the whole chain and comes back to the end of bot 1', async () => {
    const { start, sessionId, reply } = await startConversation(chat, 'links-1')
    expect(textsOf(start)).toEqual(['Hey!'])
    // The input is stored without options, so it is sent as it is.
    expect(start.body.input).toEqual({ id: 'r26l9tdez17sgx4xiwku15mk', type: 'text input' })

    const first = await reply('Start')
    expect(textsOf(first)).toEqual(['First test message'])
    expect(first.body.clientSideActions).toEqual([{ ...locationAction, lastBubbleBlockId: 't4u8h07eq17f6oqmsydcqyaj' }])
    expect(first.body).not.toHaveProperty('input')

    const url = await reply('http://localhost:3000/link')
    expect(url.body.messages).toEqual([])
    expect(url.body.input).toMatchObject({ id: 's8ZeBL9p5za77eBmdKECLYq', type: 'text input' })

    const hello = await reply('Hello there!')
    expect(textsOf(hello)).toEqual(['Cheers!', 'test 3', 'end 3', 'End'])
    expect(hello.body).toMatchObject({ clientSideActions: [], logs: [] })
    expect(hello.body).not.toHaveProperty('input')
    expect((await reply('Again?')).status).toBe(404)

    // Merged: bot 2's answer is on bot 1's result, which is completed; bot 2 has no result of its own.
    const result = await getResult(owner, bot1, start.body.resultId)
    expect(answerContents(result)).toEqual(['Start', 'Hello there!'])
    expect(result.isCompleted).toBe(true)
    expect(await findResultOfSession(owner, bot2, sessionId)).toBeUndefined()
  })

  it("runs the linked bots' drafts in preview, without results", async () => {
    const preview = await startPreview(owner, bot1)
    expect(preview.start.body).not.toHaveProperty('resultId')
    await preview.reply('Start')
    await preview.reply('http://localhost:3000/link')
    expect(textsOf(await preview.reply('Hello there!'))).toEqual(['Cheers!', 'test 3', 'end 3', 'End'])
    const results = await owner.call('GET', `/v1/typebots/${bot1}/results`)
    expect(results.body.results.some((result: any) => result.lastChatSessionId === preview.sessionId)).toBe(false)
  })
})

describe('linkTypebots/1-merge-disabled.json: a link without mergeResults', () => {
  it('gives bot 2 its own result for "Hello there!"', async () => {
    const { start, sessionId, reply } = await startConversation(chat, 'links-1-merge-disabled')
    expect(start.body.messages).toEqual([])
    expect(start.body.clientSideActions).toEqual([locationAction])
    expect(start.body.resultId).toEqual(expect.any(String))

    await reply('http://localhost:3000/link')
    const hello = await reply('Hello there!')
    expect(textsOf(hello)).toEqual(['Cheers!', 'test 3', 'end 3'])

    const own = await getResult(owner, bot1MergeDisabled, start.body.resultId)
    expect(answerContents(own)).not.toContain('Hello there!')
    const linked = await findResultOfSession(owner, bot2, sessionId)
    expect(linked).toBeDefined()
    expect(answerContents(linked)).toEqual(['Hello there!'])
    expect(linked.isCompleted).toBe(true)
    expect(await findResultOfSession(owner, bot3, sessionId)).toBeUndefined()
  })
})

describe('a link to a typebot of another workspace', () => {
  it('cannot reach it: logs "Failed to link typebot" and goes on in the caller', async () => {
    const stranger = await createTestUser(server)
    const document = JSON.parse(JSON.stringify(readFixture('linkTypebots/1.json')).split('cl0ibhv8d0130n21aw8doxhj5').join(bot2))
    await importAndPublish(stranger, [{ fixture: document, publicId: 'links-stranger' }])
    const { reply } = await startConversation(chat, 'links-stranger')
    const first = await reply('Start')
    expect(textsOf(first)).toEqual(['First test message', 'End'])
    expect(first.body.logs).toEqual([expect.objectContaining({ status: 'error', description: 'Failed to link typebot' })])
    expect(first.body.clientSideActions).toEqual([])
  })
})
