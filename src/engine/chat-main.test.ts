import { describe, expect, it } from 'vitest'
import { createConversation, loadFixture, textsOf } from './test-driver.js'

const main = loadFixture('chat/main.json')
const linked = loadFixture('chat/linkedBot.json')

describe('chat/main.json with its linked rating bot (§9.1)', () => {
  it('runs the whole conversation of the API test', () => {
    const chat = createConversation(main, { typebots: [linked], aliases: { 'chat-sub-bot': linked.typebot.id } })

    const start = chat.start()
    expect(textsOf(start)).toEqual(['Hi there! 👋', "Welcome. What's your name?"])
    expect(start.messages[0]).toMatchObject({
      type: 'text',
      content: { type: 'richText', richText: [{ type: 'p', children: [{ text: 'Hi there! 👋' }] }] },
    })
    expect(start.input?.type).toBe('text input')

    const name = chat.reply('John')
    expect(name.messages[0]!.content).toEqual({
      type: 'richText',
      richText: [{ type: 'p', children: [{ text: 'Nice to meet you ' }, { text: 'John' }] }],
    })
    expect(name.messages[1]).toMatchObject({ type: 'image', content: { url: expect.stringContaining('giphy.com') } })
    expect(name.input).toMatchObject({ type: 'number input', options: { variableId: 'vclauulfjk000i3b6qmujooweu' } })
    expect(name).toMatchObject({ hasWalked: true, clientSideActions: [], logs: [] })

    const age = chat.reply('24')
    expect(textsOf(age)).toEqual(['Ok, you are an adult then 😁', 'My magic number is 42', 'How would you rate the experience so far?'])
    expect(age.input?.type).toBe('rating input')
    expect(chat.state.typebotsQueue).toHaveLength(2)

    const rating = chat.reply('8')
    expect(textsOf(rating)).toEqual(["I'm gonna shoot multiple inputs now..."])
    expect(rating.input?.type).toBe('email input')
    expect(chat.state.typebotsQueue).toHaveLength(1)

    const invalidEmail = chat.reply('invalid email')
    expect(invalidEmail.messages).toEqual([
      {
        id: 'clauurluf001i3b6qjf78puug',
        type: 'text',
        content: {
          type: 'richText',
          richText: [{ type: 'p', children: [{ text: "This email doesn't seem to be valid. Can you type it again?" }] }],
        },
      },
    ])
    expect(invalidEmail).toMatchObject({ isRetry: true, hasWalked: false, input: { type: 'email input' } })

    const email = chat.reply('typebot@email.com')
    expect(email.messages).toEqual([])
    expect(email.input?.type).toBe('url input')

    const url = chat.reply('https://typebot.io')
    expect(url.messages).toEqual([])
    expect(url.input?.type).toBe('choice input')

    const last = chat.reply('Yes')
    expect(textsOf(last)).toEqual(['Ok, you are solid 👏', "Let's trigger a webhook...", ''])
    expect(last.messages[2]).toEqual({ id: 'clauuwhyl001w3b6q7ai0zeyt', type: 'text', content: { type: 'richText', richText: [] } })
    expect(last.logs).toEqual([{ status: 'error', description: "Couldn't parse webhook attributes" }])
    expect(last.clientSideActions).toEqual([])
    expect(last.input).toBeUndefined()
    expect(last.isCompleted).toBe(true)
  })

  it('stores the answers on the right results and completes them', () => {
    const chat = createConversation(main, { typebots: [linked], aliases: { 'chat-sub-bot': linked.typebot.id } })
    chat.start()
    for (const reply of ['John', '24', '8', 'typebot@email.com', 'https://typebot.io', 'Yes']) chat.reply(reply)

    const mainAnswers = chat.persisted.answers.filter((answer) => answer.resultId === 'result1').map((answer) => answer.content)
    expect(mainAnswers).toEqual(['John', '24', 'typebot@email.com', 'https://typebot.io', 'Yes'])
    // The link does not merge (v6 default): the rating lands on the linked bot's own result.
    const ratingAnswer = chat.persisted.answers.find((answer) => answer.content === '8')
    expect(ratingAnswer?.resultId).not.toBe('result1')
    const linkedResult = chat.persisted.results.find((result) => result.id === ratingAnswer?.resultId && result.isCompleted)
    expect(linkedResult).toMatchObject({ typebotId: linked.typebot.id, hasStarted: true, isCompleted: true })
    const finalMain = chat.persisted.results.filter((result) => result.id === 'result1').at(-1)
    expect(finalMain).toMatchObject({ hasStarted: true, isCompleted: true })
    expect(finalMain?.variables.map((variable) => variable.name)).toEqual(['Magic number'])
    expect(chat.persisted.logs).toEqual([{ status: 'error', description: "Couldn't parse webhook attributes", resultId: 'result1' }])
  })

  it('sends Markdown when asked, and reports a reformatted answer', () => {
    const chat = createConversation(main, { typebots: [linked], aliases: { 'chat-sub-bot': linked.typebot.id }, isPreview: true })
    const start = chat.start({ textBubbleContentFormat: 'markdown' })
    expect(start.messages.map((message) => message.content)).toEqual([
      { type: 'markdown', markdown: 'Hi there! 👋' },
      { type: 'markdown', markdown: "Welcome. What's your name?" },
    ])
    expect(chat.reply('John').lastMessageNewFormat).toBeUndefined()
    expect(chat.reply('1,5e1').lastMessageNewFormat).toBe('15')
    chat.reply('8')
    expect(chat.reply('TypeBot@Email.com').lastMessageNewFormat).toBe('typebot@email.com')
    // Preview sessions keep answers in the state instead of result rows.
    expect(chat.state.previewMetadata?.answers?.map((answer) => answer.content)).toEqual(['John', '15', '8', 'typebot@email.com'])
    expect(chat.persisted.answers).toEqual([])
  })
})
