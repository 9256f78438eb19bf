/**
 * Fixture conversations through the public Chat API (§9.2, §9.4): inputs, conditions, cards,
 * non-blocking actions and the answers stored on results.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiClient } from '../helpers/api-client.js'
import {
  answerContents,
  type ChatClient,
  createChatClient,
  findResultOfSession,
  getResult,
  paragraph,
  startConversation,
  textsOf,
} from '../helpers/chat-conversation.js'
import { importAndPublish } from '../helpers/chat-fixtures.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { createTestUser, type TestUser } from '../helpers/users.js'

let server: TestServer
let owner: TestUser
let chat: ChatClient
const ids: Record<string, string> = {}

beforeAll(async () => {
  server = await startTestServer()
  owner = await createTestUser(server)
  chat = createChatClient(createApiClient(server.url))
  const fixtures = ['chat/startingWithInput.json', 'condition.json', 'hugeGroup.json', 'cards.json', 'redirect.json', 'analytics.json']
  const imported = await importAndPublish(
    owner,
    fixtures.map((fixture) => ({ fixture, publicId: publicIdOf(fixture) })),
  )
  fixtures.forEach((fixture, index) => (ids[publicIdOf(fixture)] = imported[index] as string))
})
afterAll(async () => server.close())

function publicIdOf(fixture: string) {
  return `flows-${fixture
    .replace(/^chat\//, '')
    .replace(/\.json$/, '')
    .toLowerCase()}`
}

describe('chat/startingWithInput.json (§9.2)', () => {
  it('answers the first input with a start message and ends: no input, no resultId, no actions, no logs', async () => {
    const start = await chat.start('flows-startingwithinput', { message: 'Hey' })
    expect(start.status, JSON.stringify(start.body)).toBe(200)
    expect(start.body.messages).toEqual([
      { id: 'dpyyb38amnwwl4q461el2uf6', type: 'text', content: { type: 'richText', richText: paragraph("That's nice!") } },
    ])
    expect(Object.keys(start.body).sort()).toEqual(['messages', 'sessionId', 'typebot'])

    // The result row exists although the response names none, with the start message as its answer.
    const result = await findResultOfSession(owner, ids['flows-startingwithinput']!, start.body.sessionId)
    expect(result).toMatchObject({ hasStarted: true, isCompleted: true })
    expect(answerContents(result)).toEqual(['Hey'])
  })

  it('accepts the typed form of the start message', async () => {
    const start = await chat.start('flows-startingwithinput', { message: { type: 'text', text: 'Hey' } })
    expect(textsOf(start)).toEqual(["That's nice!"])
  })

  it('waits on the input without a message, then continues', async () => {
    const { start, reply } = await startConversation(chat, 'flows-startingwithinput')
    expect(start.body.messages).toEqual([])
    expect(start.body.input).toMatchObject({ id: 'prh6snup7cbmoxtf5vox8kjw', type: 'text input' })
    expect(start.body.resultId).toEqual(expect.any(String))
    expect(start.body).not.toHaveProperty('clientSideActions')
    expect(start.body).not.toHaveProperty('logs')

    const hey = await reply('Hey')
    expect(hey.body).toEqual({
      messages: [expect.objectContaining({ content: { type: 'richText', richText: paragraph("That's nice!") } })],
      clientSideActions: [],
      logs: [],
    })
    const result = await getResult(owner, ids['flows-startingwithinput']!, start.body.resultId)
    expect(result).toMatchObject({ isCompleted: true })
    expect(answerContents(result)).toEqual(['Hey'])
  })

  it('keeps a session completed during start: continuing it restarts the flow (§2.5, §4.5 step 0)', async () => {
    const start = await chat.start('flows-startingwithinput', { message: 'Hey' })
    const again = await chat.reply(start.body.sessionId, 'Again')
    expect(again.status, JSON.stringify(again.body)).toBe(200)
    expect(textsOf(again)).toEqual(["That's nice!"])
  })
})

describe('condition.json (§9.4)', () => {
  it.each([
    ['40', 'You are older than 20'],
    ['90', 'You are older than 80'],
    // A matched item without an edge ends the flow: "This should never be displayed" never comes.
    ['15', 'You are younger than 20'],
  ])('answers %s with "%s" and ends the conversation', async (age, expected) => {
    const { start, reply } = await startConversation(chat, 'flows-condition')
    expect(textsOf(start)).toEqual(['How old are you?'])
    expect(start.body.input).toMatchObject({ type: 'number input', options: { variableId: 'iDJzzyzAY2jrapm3NwhGMz' } })

    const answer = await reply(age)
    expect(answer.status).toBe(200)
    expect(textsOf(answer)).toEqual([expected])
    expect(answer.body).toMatchObject({ clientSideActions: [], logs: [] })
    expect(answer.body).not.toHaveProperty('input')

    const after = await reply('20')
    expect(after.status).toBe(404)
    expect(after.body).toEqual({ message: 'Session not found.', code: 'NOT_FOUND' })
  })

  it('sends the retry message on a non-number and asks again', async () => {
    const { reply } = await startConversation(chat, 'flows-condition')
    const retry = await reply('forty')
    expect(retry.body).toEqual({
      messages: [
        expect.objectContaining({
          type: 'text',
          content: { type: 'richText', richText: paragraph('Invalid message. Please, try again.') },
        }),
      ],
      input: expect.objectContaining({ id: 'ssyBKZve7bihSxUASYTruZA', type: 'number input' }),
    })
    expect(textsOf(await reply('40'))).toEqual(['You are older than 20'])
  })
})

describe('hugeGroup.json (§9.4)', () => {
  it('asks three inputs in one group and stores one answer per input on the result', async () => {
    const { start, reply } = await startConversation(chat, 'flows-hugegroup')
    expect(textsOf(start)).toEqual(["Hi what's your name?"])
    expect(start.body.input.type).toBe('text input')
    const name = await reply('Baptiste')
    expect(textsOf(name)).toEqual(['How old are you?'])
    expect(name.body.input.type).toBe('number input')
    const age = await reply('26')
    expect(textsOf(age)).toEqual(['Cool!', 'Do you eat pizza?'])
    expect(age.body.input).toMatchObject({
      type: 'choice input',
      items: [expect.objectContaining({ content: 'Yes' }), expect.objectContaining({ content: 'No' })],
    })
    // The last input leads nowhere: nothing was walked.
    expect((await reply('Yes')).body).toEqual({ messages: [] })

    const result = await getResult(owner, ids['flows-hugegroup']!, start.body.resultId)
    expect(result).toMatchObject({ hasStarted: true, isCompleted: true })
    expect(result.answers.map(({ blockId, content }: any) => [blockId, content])).toEqual([
      ['sq3mPXUrugs5t6FoME3T4t4', 'Baptiste'],
      ['s4fFn3s7nouQk88iJ3oLgx6', '26'],
      ['sxn8UjQ2MjEMuRjhkh7LWws', 'Yes'],
    ])
    expect(result.variables).toContainEqual(expect.objectContaining({ name: 'Name', value: 'Baptiste' }))
  })

  it('keeps an unfinished result not completed', async () => {
    const { start, reply } = await startConversation(chat, 'flows-hugegroup')
    await reply('Ada')
    const result = await getResult(owner, ids['flows-hugegroup']!, start.body.resultId)
    expect(result).toMatchObject({ hasStarted: true, isCompleted: false })
    expect(answerContents(result)).toEqual(['Ada'])
  })
})

describe('cards.json (§9.4)', () => {
  it('goes from a static card path to dynamic cards made from list variables, then to the chosen title', async () => {
    const { start, reply } = await startConversation(chat, 'flows-cards')
    expect(textsOf(start)).toEqual(['Hi there!'])
    expect(start.body.input.type).toBe('cards')
    expect(start.body.input.items.map((item: any) => item.title)).toEqual(['Paris', 'London', 'Dublin'])

    const paris = await reply({ type: 'text', text: 'More info', metadata: { replyId: 'iygo3fs5oh6i8sggweqj81u1' } })
    expect(paris.status, JSON.stringify(paris.body)).toBe(200)
    expect(textsOf(paris)).toEqual(['Awesome pick!'])
    expect(paris.body.input.items.map((item: any) => [item.title, item.description])).toEqual([
      ['Title 1', 'Desc 1'],
      ['Title 2', 'Desc 2'],
    ])
    expect(paris.body.input.items[1].paths.map((path: any) => [path.id, path.text])).toEqual([
      ['dynamic-card-1-path-0', 'Continue'],
      ['dynamic-card-1-path-1', 'More info'],
    ])

    const chosen = await reply('dynamic-card-1-path-0')
    expect(textsOf(chosen)).toEqual(["You've selected Title 2"])
    expect(chosen.body).not.toHaveProperty('input')
  })

  it('sends the retry message for an unknown card', async () => {
    const { reply } = await startConversation(chat, 'flows-cards')
    const retry = await reply('Berlin')
    expect(retry.body.input.type).toBe('cards')
    expect(retry.body).not.toHaveProperty('clientSideActions')
  })
})

describe('redirect.json (§9.4)', () => {
  it('sends the wait and redirect actions along with the text, and ends', async () => {
    const { start, reply } = await startConversation(chat, 'flows-redirect')
    expect(start.body.messages).toEqual([])
    expect(start.body.input).toMatchObject({ type: 'choice input', items: [expect.objectContaining({ content: 'Go' })] })
    const go = await reply('Go')
    expect(textsOf(go)).toEqual(['Redirecting...'])
    expect(go.body.clientSideActions).toEqual([
      { type: 'wait', wait: { secondsToWaitFor: 1 } },
      { type: 'redirect', redirect: { url: 'https://google.com' }, lastBubbleBlockId: 'kb86l5axoml9yofrlo7rh7ir' },
    ])
    expect(go.body).not.toHaveProperty('input')
  })

  it('ignores a start message when the first input is a buttons input', async () => {
    const start = await chat.start('flows-redirect', { message: 'Go' })
    expect(start.body.messages).toEqual([])
    expect(start.body.input.type).toBe('choice input')
    expect(start.body).not.toHaveProperty('clientSideActions')
  })
})

describe('analytics.json (§9.4)', () => {
  it('follows item edges and the Jump back to the menu', async () => {
    const { start, reply } = await startConversation(chat, 'flows-analytics')
    expect(textsOf(start)).toHaveLength(1)
    expect(start.body.input.items.map((item: any) => item.content)).toContain('I have a feature request ✨')
    const feature = await reply('I have a feature request ✨')
    expect(textsOf(feature)[0]).toBe('Awesome!')
    expect(feature.body.input).toMatchObject({ id: '2', type: 'choice input' })
    const restart = await reply('Restart')
    expect(textsOf(restart)).toEqual(textsOf(start))
    expect(restart.body.input).toMatchObject({ id: '1', type: 'choice input' })

    const result = await getResult(owner, ids['flows-analytics']!, start.body.resultId)
    expect(answerContents(result)).toEqual(['I have a feature request ✨', 'Restart'])
  })
})
