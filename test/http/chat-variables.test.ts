/**
 * Variables as a Chat API client sees them (§5, §9.4): client-side Set variable, transcripts,
 * dynamic avatars, prefilled variables of a v4 export.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiClient } from '../helpers/api-client.js'
import { type ChatClient, createChatClient, getResult, paragraph, startConversation, textsOf } from '../helpers/chat-conversation.js'
import { importAndPublish } from '../helpers/chat-fixtures.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { createTestUser, type TestUser } from '../helpers/users.js'

let server: TestServer
let owner: TestUser
let chat: ChatClient
let predefinedId: string

beforeAll(async () => {
  server = await startTestServer()
  owner = await createTestUser(server)
  chat = createChatClient(createApiClient(server.url))
  const imported = await importAndPublish(owner, [
    { fixture: 'setVariable.json', publicId: 'vars-set-variable' },
    { fixture: 'transcript.json', publicId: 'vars-transcript' },
    { fixture: 'transcript-2.json', publicId: 'vars-transcript-2' },
    { fixture: 'dynamicAvatars.json', publicId: 'vars-dynamic-avatars' },
    { fixture: 'predefinedVariables.json', publicId: 'vars-predefined' },
  ])
  predefinedId = imported[4] as string
})
afterAll(async () => server.close())

describe('setVariable.json: a Set variable evaluated by the client', () => {
  it('asks for the value with a blocking action, then shows what the client sent', async () => {
    const { start, reply } = await startConversation(chat, 'vars-set-variable')
    expect(start.body.messages).toEqual([])
    expect(start.body).not.toHaveProperty('input')
    expect(start.body.resultId).toEqual(expect.any(String))
    expect(start.body.clientSideActions).toEqual([
      {
        type: 'setVariable',
        setVariable: { scriptToExecute: { content: 'document.location.origin', isCode: true, args: [] } },
        expectsDedicatedReply: true,
      },
    ])
    const shown = await reply('http://127.0.0.1:3001')
    expect(shown.body.messages[0].content).toEqual({ type: 'richText', richText: paragraph('http://127.0.0.1:3001') })
    expect(shown.body).not.toHaveProperty('input')
    expect((await reply('again')).status).toBe(404)
  })

  it('shows the value as markdown when that reply asks for markdown', async () => {
    const { reply } = await startConversation(chat, 'vars-set-variable')
    const shown = await reply('http://127.0.0.1:3001', { textBubbleContentFormat: 'markdown' })
    expect(shown.body.messages[0].content).toEqual({ type: 'markdown', markdown: 'http://127.0.0.1:3001' })
  })
})

describe('transcript.json: a transcript built through Jump, Return and a Condition loop', () => {
  const expected = [
    'Assistant: "Let me think..."',
    'Assistant: "How are you? You said "',
    'User: "hey"',
    'Assistant: "Let me think..."',
    'Assistant: "How are you? You said hey"',
    'User: "hey 2"',
    'Assistant: "Let me think..."',
    'Assistant: "How are you? You said hey 2"',
    'User: "hey 3"',
  ]

  it.each(['markdown', 'richText'] as const)('shows the whole conversation after three answers (%s)', async (format) => {
    const { start, reply } = await startConversation(chat, 'vars-transcript')
    expect(textsOf(start)).toEqual(['Let me think...', 'How are you? You said '])
    expect(textsOf(await reply('hey'))).toEqual(['Let me think...', 'How are you? You said hey'])
    await reply('hey 2')
    const last = await reply('hey 3', { textBubbleContentFormat: format })
    expect(last.body.messages).toHaveLength(1)
    if (format === 'markdown') expect(last.body.messages[0].content.markdown).toBe(expected.join('\n\n'))
    // Each blank line between Markdown blocks is an empty paragraph of its own (§5.6).
    else
      expect(last.body.messages[0].content.richText.map((node: any) => node.children.map((leaf: any) => leaf.text).join(''))).toEqual(
        expected.flatMap((line, index) => (index === 0 ? [line] : ['', line])),
      )
  })
})

describe('transcript-2.json (version 6): a transcript recomputed in a loop', () => {
  it('contains the previous transcript bubble and the new answer', async () => {
    const { start, reply } = await startConversation(chat, 'vars-transcript-2', { textBubbleContentFormat: 'markdown' })
    expect(textsOf(start)).toEqual(['Hi there 👋', 'How can I help?', 'Assistant: "Hi there 👋"\n\nAssistant: "How can I help?"'])
    expect(start.body.input.type).toBe('text input')
    const next = await reply('Hey', { textBubbleContentFormat: 'markdown' })
    const [test, transcript] = textsOf(next)
    expect(test).toBe('Test')
    expect(transcript?.startsWith('Assistant: "Hi there 👋"\n\nAssistant: "How can I help?"\n\nAssistant: "Assistant: "Hi')).toBe(true)
    expect(transcript?.endsWith('User: "Hey"\n\nAssistant: "Test"')).toBe(true)
  })
})

describe('dynamicAvatars.json: avatars that follow a variable', () => {
  const first = 'https://images.unsplash.com/photo-1718563552473-2d97b224e801'
  const third = 'https://media1.giphy.com/media/CGXnGb7zpsvXD2uwvd/giphy-downsized.gif'

  it('sends the current value in dynamicTheme with every answer', async () => {
    const { start, reply } = await startConversation(chat, 'vars-dynamic-avatars')
    expect(textsOf(start)).toEqual(['First avatar'])
    expect(start.body.dynamicTheme.hostAvatarUrl.startsWith(first)).toBe(true)
    expect(start.body.dynamicTheme.guestAvatarUrl).toBe(start.body.dynamicTheme.hostAvatarUrl)
    // The theme itself keeps the template: clients take the URLs from dynamicTheme.
    expect(start.body.typebot.theme.chat.hostAvatar).toEqual({ isEnabled: true, url: start.body.dynamicTheme.hostAvatarUrl })

    const second = await reply('Next')
    expect(textsOf(second)).toEqual(['Second avatar'])
    expect(second.body.dynamicTheme).toEqual({ hostAvatarUrl: '😅', guestAvatarUrl: '😅' })

    const last = await reply('Next')
    expect(textsOf(last)).toEqual(['Third avatar'])
    expect(last.body.dynamicTheme.hostAvatarUrl.startsWith(third)).toBe(true)
  })

  it('sends no dynamicTheme on a retry', async () => {
    const { reply } = await startConversation(chat, 'vars-dynamic-avatars')
    const retry = await reply('Previous')
    expect(retry.body).toEqual({
      messages: [expect.objectContaining({ type: 'text' })],
      input: expect.objectContaining({ type: 'choice input' }),
    })
  })
})

describe('predefinedVariables.json (version 4): prefilled variables', () => {
  it('shows empty values without prefilled variables, and no prefilled input value', async () => {
    const { start, reply } = await startConversation(chat, 'vars-predefined')
    expect(textsOf(start)).toEqual(['Hey I know you!', 'Your name is ', "What's your email?"])
    expect(start.body.messages[1].content.richText).toEqual(paragraph('Your name is '))
    expect(start.body.input).toMatchObject({ id: 'cl13bhnay000a2e6dxa630dh3', type: 'email input' })
    expect(start.body.input).not.toHaveProperty('prefilledValue')
    expect(start.body.input).not.toHaveProperty('groupId')
    expect((await reply('email@test.com')).body).toEqual({ messages: [] })
  })

  it('keeps the trailing space of an empty value in markdown', async () => {
    const start = await chat.start('vars-predefined', { textBubbleContentFormat: 'markdown' })
    expect(start.body.messages[1].content).toEqual({ type: 'markdown', markdown: 'Your name is ' })
  })

  it('fills the text and the email input from prefilledVariables, by name', async () => {
    const { start, reply } = await startConversation(chat, 'vars-predefined', {
      prefilledVariables: { Name: 'Baptiste', Email: 'email@test.com', Unknown: 'x' },
    })
    expect(start.body.messages[1].content.richText).toEqual(paragraph('Your name is ', 'Baptiste'))
    expect(start.body.input).toMatchObject({ type: 'email input', prefilledValue: 'email@test.com' })
    expect((await reply('Email@Test.com')).body).toEqual({ messages: [], lastMessageNewFormat: 'email@test.com' })

    const result = await getResult(owner, predefinedId, start.body.resultId)
    expect(result.answers.map((answer: any) => answer.content)).toEqual(['email@test.com'])
    expect(result.variables).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'Name', value: 'Baptiste' }),
        expect.objectContaining({ name: 'Email', value: 'email@test.com' }),
      ]),
    )
  })
})
