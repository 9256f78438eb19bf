import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addWorkspaceMember } from '../../src/typebots/add-workspace-member.js'
import { createApiClient } from '../helpers/api-client.js'
import { expectBuilderApiShape } from '../helpers/builder-api-validator.js'
import { createChatClient, getResult, startConversation, textsOf } from '../helpers/chat-conversation.js'
import { importAndPublish } from '../helpers/chat-fixtures.js'
import { buildTypebot, text, textInput } from '../helpers/flow-builder.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { createTestUser, type TestUser } from '../helpers/users.js'

/** Asks a name, then thanks with the plan an operator may set, then asks something else. */
const supportBot = buildTypebot({
  variables: [
    { id: 'v-name', name: 'Name' },
    { id: 'v-plan', name: 'Plan' },
    { id: 'v-ticket', name: 'Ticket' },
    { id: 'v-next', name: 'Next' },
  ],
  groups: [
    {
      id: 'g-ask',
      title: 'Ask',
      blocks: [text('t-hi', 'Hello!'), text('t-ask', 'What is your name?'), textInput('i-name', 'v-name')],
      next: 'g-thanks',
    },
    {
      id: 'g-thanks',
      title: 'Thanks',
      blocks: [text('t-thanks', 'Thanks {{Name}}, your plan is {{Plan}}'), textInput('i-next', 'v-next')],
      next: 'g-end',
    },
    { id: 'g-end', title: 'End', blocks: [text('t-bye', 'Bye {{Name}}')] },
  ],
})

/** Every reply is one answer, forever. */
const loopBot = buildTypebot({
  variables: [
    { id: 'v-msg', name: 'Msg' },
    { id: 'v-flag', name: 'Flag' },
  ],
  groups: [{ id: 'g-loop', title: 'Loop', blocks: [text('t-say', 'Say something'), textInput('i-msg', 'v-msg')], next: 'g-loop' }],
})

let server: TestServer
let owner: TestUser
let typebotId: string
let loopTypebotId: string
const chat = () => createChatClient(createApiClient(server.url))

beforeAll(async () => {
  server = await startTestServer()
  owner = await createTestUser(server)
  ;[typebotId, loopTypebotId] = (await importAndPublish(owner, [
    { fixture: supportBot, publicId: 'support' },
    { fixture: loopBot, publicId: 'loop-control' },
  ])) as [string, string]
})
afterAll(async () => server.close())

describe('pausing and resuming a session', () => {
  it('keeps the bot silent while paused, then asks again and goes on with the variables the operator set', async () => {
    const conversation = await startConversation(chat(), 'support')
    const { sessionId } = conversation
    expect(textsOf(conversation.start)).toEqual(['Hello!', 'What is your name?'])

    const paused = await owner.call('POST', `/v1/sessions/${sessionId}/pause`, { body: { reason: 'Asked for a human' } })
    expect(paused).toMatchObject({ status: 200, body: { message: 'success' } })
    const viewed = await owner.call('GET', `/v1/sessions/${sessionId}`)
    expect(viewed.body.session).toMatchObject({ status: 'paused', pauseReason: 'Asked for a human', pausedAt: expect.any(String) })

    // A NUL character (which PostgreSQL text refuses) is stored like any other.
    expect((await conversation.reply('nul \u0000 inside')).body).toEqual({ messages: [] })
    for (const message of ['Is anyone there?', 'Hello?']) {
      const answer = await conversation.reply(message)
      expect(answer.status).toBe(200)
      expect(answer.body).toEqual({ messages: [] })
    }
    const result = await getResult(owner, typebotId, conversation.start.body.resultId)
    expect(result.answers).toEqual([])

    const patched = await owner.call('PATCH', `/v1/sessions/${sessionId}/variables`, { body: { variables: { Plan: 'gold' } } })
    expect(patched).toMatchObject({ status: 200, body: { message: 'success' } })
    const resumed = await owner.call('POST', `/v1/sessions/${sessionId}/resume`)
    expect(resumed.status, JSON.stringify(resumed.body)).toBe(200)
    expect(resumed.body.reply.messages.map((message: { id: string }) => message.id)).toEqual(['t-hi', 't-ask'])
    expect(resumed.body.reply.input).toMatchObject({ id: 'i-name', type: 'text input' })
    expect((await owner.call('GET', `/v1/sessions/${sessionId}`)).body.session.status).toBe('active')

    const next = await conversation.reply('Ada')
    expect(textsOf(next)).toEqual(['Thanks Ada, your plan is gold'])

    const transcript = await owner.call('GET', `/v1/typebots/${typebotId}/results/${conversation.start.body.resultId}/transcript`)
    expect(transcript.status, JSON.stringify(transcript.body)).toBe(200)
    expectBuilderApiShape(transcript)
    expect(transcript.body.transcript).toEqual([
      { role: 'bot', type: 'text', text: 'Hello!' },
      { role: 'bot', type: 'text', text: 'What is your name?' },
      { role: 'user', type: 'text', text: expect.stringMatching(/^nul . inside$/) },
      { role: 'user', type: 'text', text: 'Is anyone there?' },
      { role: 'user', type: 'text', text: 'Hello?' },
      { role: 'user', type: 'text', text: 'Ada' },
      { role: 'bot', type: 'text', text: 'Thanks Ada, your plan is gold' },
    ])
  })

  it('pausing twice changes nothing, and resuming an active session is a conflict', async () => {
    const { sessionId } = await startConversation(chat(), 'support')
    expect((await owner.call('POST', `/v1/sessions/${sessionId}/resume`)).status).toBe(409)
    expect((await owner.call('POST', `/v1/sessions/${sessionId}/pause`)).status).toBe(200)
    expect((await owner.call('POST', `/v1/sessions/${sessionId}/pause`, { body: { reason: 'again' } })).status).toBe(200)
    const viewed = await owner.call('GET', `/v1/sessions/${sessionId}`)
    expect(viewed.body.session.status).toBe('paused')
    expect(viewed.body.session.pauseReason).toBeUndefined()
  })

  it('resumes from the start of another group, and refuses a group the typebot does not have', async () => {
    const conversation = await startConversation(chat(), 'support')
    await owner.call('POST', `/v1/sessions/${conversation.sessionId}/pause`)
    const unknown = await owner.call('POST', `/v1/sessions/${conversation.sessionId}/resume`, { body: { startFrom: { groupId: 'nope' } } })
    expect(unknown.status).toBe(400)
    expect(unknown.body.issues).toEqual([expect.objectContaining({ path: ['startFrom', 'groupId'] })])
    await owner.call('PATCH', `/v1/sessions/${conversation.sessionId}/variables`, {
      body: { variables: { Name: 'Grace', Plan: 'silver' } },
    })
    const resumed = await owner.call('POST', `/v1/sessions/${conversation.sessionId}/resume`, {
      body: { startFrom: { groupId: 'g-thanks' }, textBubbleContentFormat: 'markdown' },
    })
    expect(resumed.status, JSON.stringify(resumed.body)).toBe(200)
    expect(resumed.body.reply.messages.map((message: any) => message.content.markdown)).toEqual(['Thanks Grace, your plan is silver'])
    expect(resumed.body.reply.input.id).toBe('i-next')
    const next = await conversation.reply('nothing')
    expect(textsOf(next)).toEqual(['Bye Grace'])
  })

  it('closes a session: continueChat answers 404, the result stays', async () => {
    const conversation = await startConversation(chat(), 'support')
    await conversation.reply('Linus')
    const closed = await owner.call('POST', `/v1/sessions/${conversation.sessionId}/close`)
    expect(closed).toMatchObject({ status: 200, body: { message: 'success' } })
    const after = await conversation.reply('hello?')
    expect(after.status).toBe(404)
    expect((await owner.call('GET', `/v1/sessions/${conversation.sessionId}`)).status).toBe(404)
    const result = await getResult(owner, typebotId, conversation.start.body.resultId)
    expect(result.answers.map((answer: { content: string }) => answer.content)).toEqual(['Linus'])
  })
})

describe('setting variables of a session', () => {
  it('takes names or id items, stores them with the result, and refuses unknown names without writing anything', async () => {
    const conversation = await startConversation(chat(), 'support')
    const { sessionId } = conversation
    const byName = await owner.call('PATCH', `/v1/sessions/${sessionId}/variables`, { body: { variables: { Plan: 'gold', Ticket: 42 } } })
    expect(byName.status, JSON.stringify(byName.body)).toBe(200)
    const byId = await owner.call('PATCH', `/v1/sessions/${sessionId}/variables`, {
      body: {
        variables: [
          { id: 'v-plan', value: 'platinum' },
          { name: 'Name', value: 'Ada' },
        ],
      },
    })
    expect(byId.status).toBe(200)
    const unknown = await owner.call('PATCH', `/v1/sessions/${sessionId}/variables`, {
      body: { variables: { Plan: 'bronze', Colour: 'red', Size: 3 } },
    })
    expect(unknown.status).toBe(400)
    expect(unknown.body.issues.map((issue: { path: string[] }) => issue.path)).toEqual([
      ['variables', 'Colour'],
      ['variables', 'Size'],
    ])

    const session = (await owner.call('GET', `/v1/sessions/${sessionId}`)).body.session
    const values = Object.fromEntries(
      session.variables.map((variable: { name: string; value: unknown }) => [variable.name, variable.value]),
    )
    expect(values).toMatchObject({ Plan: 'platinum', Ticket: '42', Name: 'Ada' })
    const result = await getResult(owner, typebotId, conversation.start.body.resultId)
    expect(result.variables).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'Plan', value: 'platinum' }),
        expect.objectContaining({ name: 'Ticket', value: '42' }),
      ]),
    )
  })

  it('loses nothing when it races with 16 replies', async () => {
    const conversation = await startConversation(chat(), 'loop-control')
    const replies = Array.from({ length: 16 }, (_, index) => conversation.reply(`m${index}`))
    const patches = Array.from({ length: 4 }, (_, index) =>
      owner.call('PATCH', `/v1/sessions/${conversation.sessionId}/variables`, { body: { variables: { Flag: `f${index}` } } }),
    )
    const answers = await Promise.all([...replies, ...patches])
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200))
    const result = await getResult(owner, loopTypebotId, conversation.start.body.resultId)
    expect(result.answers.map((answer: { content: string }) => answer.content).sort()).toEqual(
      Array.from({ length: 16 }, (_, index) => `m${index}`).sort(),
    )
    const session = (await owner.call('GET', `/v1/sessions/${conversation.sessionId}`)).body.session
    expect(session.variables.find((variable: { name: string }) => variable.name === 'Flag').value).toMatch(/^f[0-3]$/)
  })
})

describe('access to session control', () => {
  const commands: [string, string, unknown][] = [
    ['POST', 'pause', {}],
    ['POST', 'resume', {}],
    ['POST', 'close', {}],
    ['PATCH', 'variables', { variables: { Plan: 'x' } }],
  ]

  it.each(commands)('%s %s: 401 without a token, 403 for a GUEST, 404 for an unknown session', async (method, command, body) => {
    const { sessionId } = await startConversation(chat(), 'support')
    const anonymous = createApiClient(server.url)
    expect((await anonymous(method, `/v1/sessions/${sessionId}/${command}`, { body })).status).toBe(401)
    const guest = await createTestUser(server)
    await addWorkspaceMember(server.store, { workspaceId: owner.workspaceId, email: guest.email, role: 'GUEST' })
    const refused = await guest.call(method, `/v1/sessions/${sessionId}/${command}`, { body })
    expect(refused).toMatchObject({ status: 403, body: { code: 'FORBIDDEN', message: 'Insufficient access' } })
    expect((await owner.call(method, `/v1/sessions/unknown-session/${command}`, { body })).status).toBe(404)
    expect((await owner.call('GET', `/v1/sessions/${sessionId}`)).body.session.status).toBe('active')
  })
})

describe('listing the sessions of a typebot', () => {
  it('lists active and paused sessions newest first, pages with a cursor, and lets readers see them', async () => {
    const server2 = await startTestServer()
    try {
      const admin = await createTestUser(server2)
      const [id] = (await importAndPublish(admin, [{ fixture: supportBot, publicId: 'inbox' }])) as [string]
      const client = createChatClient(createApiClient(server2.url))
      const sessionIds: string[] = []
      for (let index = 0; index < 5; index++) {
        sessionIds.push((await startConversation(client, 'inbox')).sessionId)
        await new Promise((resolve) => setTimeout(resolve, 2))
      }
      await admin.call('POST', `/v1/sessions/${sessionIds[1]}/pause`, { body: { reason: 'human' } })
      await admin.call('POST', `/v1/sessions/${sessionIds[3]}/pause`)

      const paused = await admin.call('GET', `/v1/typebots/${id}/sessions?status=paused`)
      expect(paused.status, JSON.stringify(paused.body)).toBe(200)
      expect(paused.body.sessions.map((session: { id: string }) => session.id)).toEqual([sessionIds[3], sessionIds[1]])
      expect(paused.body.sessions[1]).toMatchObject({ status: 'paused', pauseReason: 'human', currentBlockId: 'i-name', isPreview: false })

      const guest = await createTestUser(server2)
      await addWorkspaceMember(server2.store, { workspaceId: admin.workspaceId, email: guest.email, role: 'GUEST' })
      const seen: string[] = []
      let cursor: string | undefined
      do {
        const page = await guest.call('GET', `/v1/typebots/${id}/sessions?status=active&limit=2${cursor ? `&cursor=${cursor}` : ''}`)
        expect(page.status).toBe(200)
        seen.push(...page.body.sessions.map((session: { id: string }) => session.id))
        cursor = page.body.nextCursor
      } while (cursor)
      expect(seen).toEqual([sessionIds[4], sessionIds[2], sessionIds[0]])
      expect((await admin.call('GET', `/v1/typebots/${id}/sessions?cursor=garbage`)).status).toBe(400)
      expect((await createApiClient(server2.url)('GET', `/v1/typebots/${id}/sessions`)).status).toBe(401)
    } finally {
      await server2.close()
    }
  })
})
