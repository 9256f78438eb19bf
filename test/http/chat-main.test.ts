import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiClient } from '../helpers/api-client.js'
import { expectBuilderApiShape } from '../helpers/builder-api-validator.js'
import { expectChatApiShape, importAndPublish, textOf } from '../helpers/chat-fixtures.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { createTestUser, type TestUser } from '../helpers/users.js'

const startPath = '/v1/typebots/{publicId}/startChat'
const continuePath = '/v1/sessions/{sessionId}/continueChat'
const p = (text: string) => [{ type: 'p', children: [{ text }] }]

let server: TestServer
let owner: TestUser
let mainId: string
beforeAll(async () => {
  server = await startTestServer()
  owner = await createTestUser(server)
  ;[, mainId] = (await importAndPublish(owner, [
    { fixture: 'chat/linkedBot.json', alias: 'chat-sub-bot' },
    { fixture: 'chat/main.json', publicId: 'complete-bot' },
  ])) as [string, string]
})
afterAll(async () => server.close())

describe('chat/main.json through the public Chat API (§9.1)', () => {
  it('runs the whole conversation, through the linked bot, the email retry and the end', async () => {
    const chat = createApiClient(server.url)
    const start = await chat('POST', '/v1/typebots/complete-bot/startChat', {
      body: {
        isOnlyRegistering: false,
        isStreamEnabled: false,
        textBubbleContentFormat: 'richText',
      },
    })
    expect(start.status, JSON.stringify(start.body)).toBe(200)
    expectChatApiShape(startPath, start)
    expect(start.body.resultId).toEqual(expect.any(String))
    expect(start.body.messages[0].content.richText).toEqual(p('Hi there! 👋'))
    expect(start.body.messages[1].content.richText).toEqual(p("Welcome. What's your name?"))
    expect(start.body.input.type).toBe('text input')
    expect(Object.keys(start.body.typebot.settings).sort()).toEqual(['general', 'typingEmulation'])
    const sessionId: string = start.body.sessionId
    const reply = (message: string) => chat('POST', `/v1/sessions/${sessionId}/continueChat`, { body: { message } })

    const name = await reply('John')
    expectChatApiShape(continuePath, name)
    expect(name.body.messages[0].content.richText).toEqual([{ type: 'p', children: [{ text: 'Nice to meet you ' }, { text: 'John' }] }])
    expect(name.body.messages[1].content.url).toContain('giphy.com')
    expect(name.body.input.type).toBe('number input')
    expect(name.body.clientSideActions).toEqual([])
    expect(name.body.logs).toEqual([])

    const age = await reply('24')
    expect(age.body.messages.map(textOf)).toEqual([
      'Ok, you are an adult then 😁',
      'My magic number is 42',
      'How would you rate the experience so far?',
    ])
    expect(age.body.messages[1].content.richText).toEqual([{ type: 'p', children: [{ text: 'My magic number is ' }, { text: '42' }] }])
    expect(age.body.input.type).toBe('rating input')

    const rating = await reply('8')
    expect(textOf(rating.body.messages[0])).toBe("I'm gonna shoot multiple inputs now...")
    expect(rating.body.input.type).toBe('email input')

    const invalidEmail = await reply('invalid email')
    expectChatApiShape(continuePath, invalidEmail)
    expect(invalidEmail.body).toEqual({
      messages: [
        expect.objectContaining({
          content: { type: 'richText', richText: p("This email doesn't seem to be valid. Can you type it again?") },
        }),
      ],
      input: expect.objectContaining({ type: 'email input' }),
    })

    const email = await reply('typebot@email.com')
    expect(email.body.messages).toEqual([])
    expect(email.body.input.type).toBe('url input')

    const url = await reply('https://typebot.io')
    expect(url.body.messages).toEqual([])
    expect(url.body.input.type).toBe('choice input')

    const last = await reply('Yes')
    expectChatApiShape(continuePath, last)
    expect(last.body.messages.map(textOf).slice(0, 2)).toEqual(['Ok, you are solid 👏', "Let's trigger a webhook..."])
    expect(last.body.messages[2]).toEqual({ id: 'clauuwhyl001w3b6q7ai0zeyt', type: 'text', content: { type: 'richText', richText: [] } })
    expect(last.body.logs).toEqual([{ status: 'error', description: "Couldn't parse webhook attributes" }])
    expect(last.body.clientSideActions).toEqual([])
    expect(last.body.input).toBeUndefined()

    const afterEnd = await reply('Hello?')
    expect(afterEnd.status).toBe(404)
    expect(afterEnd.body).toEqual({ message: 'Session not found.', code: 'NOT_FOUND' })

    const results = await owner.call('GET', `/v1/typebots/${mainId}/results`)
    expectBuilderApiShape(results)
    const result = results.body.results.find((candidate: any) => candidate.id === start.body.resultId)
    expect(result.isCompleted).toBe(true)
    // The link to the sub-bot does not merge results (v6 default): its rating is on the sub-bot's own result.
    expect(result.answers.map((answer: any) => answer.content)).toEqual(['John', '24', 'typebot@email.com', 'https://typebot.io', 'Yes'])
  })

  it('previews the draft with a token, without a result, in markdown when asked', async () => {
    const preview = await owner.call('POST', `/v1/typebots/${mainId}/preview/startChat`, { body: { textBubbleContentFormat: 'markdown' } })
    expect(preview.status, JSON.stringify(preview.body)).toBe(200)
    expect(preview.body.resultId).toBeUndefined()
    expect(preview.body.messages.map((message: any) => message.content.markdown)).toEqual(['Hi there! 👋', "Welcome. What's your name?"])
    const next = await createApiClient(server.url)('POST', `/v1/sessions/${preview.body.sessionId}/continueChat`, {
      body: { message: 'John' },
    })
    expect(next.body.messages[0].content.richText).toEqual([{ type: 'p', children: [{ text: 'Nice to meet you ' }, { text: 'John' }] }])
    expect(next.body.input.type).toBe('number input')
  })

  it('refuses a preview without a token (401) and a bad body (400 with issues)', async () => {
    const anonymous = await createApiClient(server.url)('POST', `/v1/typebots/${mainId}/preview/startChat`, { body: {} })
    expect(anonymous.status).toBe(401)
    expect(anonymous.body.code).toBe('UNAUTHORIZED')
    const badFormat = await createApiClient(server.url)('POST', '/v1/typebots/complete-bot/startChat', {
      body: { textBubbleContentFormat: 'html' },
    })
    expect(badFormat.status).toBe(400)
    expect(badFormat.body.code).toBe('BAD_REQUEST')
    expect(badFormat.body.issues[0].path).toEqual(['textBubbleContentFormat'])
  })

  it('answers 404 for an unknown public id and an unknown session', async () => {
    const chat = createApiClient(server.url)
    expect((await chat('POST', '/v1/typebots/nope/startChat', { body: {} })).body).toEqual({
      message: 'Typebot not found',
      code: 'NOT_FOUND',
    })
    expect((await chat('POST', '/v1/sessions/nope/continueChat', { body: { message: 'hi' } })).status).toBe(404)
  })
})
