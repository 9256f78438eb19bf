import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addWorkspaceMember } from '../../src/typebots/add-workspace-member.js'
import { createApiClient } from '../helpers/api-client.js'
import { importAndPublish, textOf } from '../helpers/chat-fixtures.js'
import { buildTypebot, numberInput, replaceBlock, setVariable, text, textInput } from '../helpers/flow-builder.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { createTestUser, type TestUser } from '../helpers/users.js'

const variables = [
  { id: 'v-name', name: 'Name' },
  { id: 'v-age', name: 'Age' },
  { id: 'v-city', name: 'City', value: 'Paris' },
]

/** Version 1: ask the name, greet, ask the age (max 50), then say bye. */
function versionOne() {
  return buildTypebot({
    variables,
    groups: [
      { id: 'g-welcome', title: 'Welcome', blocks: [text('t-hello', 'Hello v1'), textInput('i-name', 'v-name')], next: 'g-age' },
      {
        id: 'g-age',
        title: 'Age',
        blocks: [text('t-nice', 'Nice to meet you {{Name}}'), numberInput('i-age', 'v-age', { max: 50 })],
        next: 'g-bye',
      },
      { id: 'g-bye', title: 'Bye', blocks: [text('t-bye', 'Bye {{Name}} from {{City}}')] },
    ],
  })
}

let server: TestServer
let clock = Date.now()
let owner: TestUser
beforeAll(async () => {
  server = await startTestServer({ SESSION_TTL_HOURS: '1' }, { now: () => clock })
  owner = await createTestUser(server)
})
afterAll(async () => server.close())

async function publishBot(document: Record<string, unknown>, publicId: string) {
  const [id] = await importAndPublish(owner, [{ fixture: document, publicId }])
  return id as string
}

async function editAndPublish(typebotId: string, document: Record<string, unknown>, options: { publish?: boolean } = {}) {
  const { groups, edges, variables: newVariables } = document as Record<string, unknown>
  const patched = await owner.call('PATCH', `/v1/typebots/${typebotId}`, { body: { typebot: { groups, edges, variables: newVariables } } })
  expect(patched.status, JSON.stringify(patched.body)).toBe(200)
  if (options.publish !== false) expect((await owner.call('POST', `/v1/typebots/${typebotId}/publish`, { body: {} })).status).toBe(200)
}

async function startAt(publicId: string) {
  const chat = createApiClient(server.url)
  const start = await chat('POST', `/v1/typebots/${publicId}/startChat`, { body: {} })
  expect(start.status, JSON.stringify(start.body)).toBe(200)
  const sessionId: string = start.body.sessionId
  return {
    start,
    sessionId,
    reply: (message?: string) => chat('POST', `/v1/sessions/${sessionId}/continueChat`, { body: message === undefined ? {} : { message } }),
  }
}

const update = (sessionId: string, client = owner.call) => client('POST', `/v1/sessions/${sessionId}/updateTypebot`)

describe('updateTypebot in a running session', () => {
  it('shows the new text, keeps old answers, adds new variables; a session not updated keeps the old text', async () => {
    const typebotId = await publishBot(versionOne(), 'update-basic')
    const updated = await startAt('update-basic')
    const untouched = await startAt('update-basic')
    await updated.reply('Ada')
    await untouched.reply('Ada')

    const v2 = versionOne()
    v2.variables.push({ id: 'v-mood', name: 'Mood' })
    v2.groups[2]!.blocks = [setVariable('s-mood', 'v-mood', '"cheerful"'), text('t-bye', 'Farewell {{Name}}, you are {{Mood}}')]
    await editAndPublish(typebotId, v2)

    const answer = await update(updated.sessionId)
    expect(answer.status, JSON.stringify(answer.body)).toBe(200)
    expect(answer.body).toEqual({ message: 'success' })

    expect((await updated.reply('30')).body.messages.map(textOf)).toEqual(['Farewell Ada, you are cheerful'])
    expect((await untouched.reply('30')).body.messages.map(textOf)).toEqual(['Bye Ada from Paris'])
  })

  it('keeps a prefilled or answered value when the new version changes the default', async () => {
    const typebotId = await publishBot(versionOne(), 'update-defaults')
    const chat = createApiClient(server.url)
    const start = await chat('POST', '/v1/typebots/update-defaults/startChat', { body: { prefilledVariables: { City: 'Lyon' } } })
    const sessionId = start.body.sessionId
    await chat('POST', `/v1/sessions/${sessionId}/continueChat`, { body: { message: 'Ada' } })
    const v2 = versionOne()
    v2.variables = v2.variables.map((variable) => (variable.id === 'v-city' ? { ...variable, value: 'Berlin' } : variable))
    await editAndPublish(typebotId, v2)
    expect((await update(sessionId)).status).toBe(200)
    const bye = await chat('POST', `/v1/sessions/${sessionId}/continueChat`, { body: { message: '20' } })
    expect(bye.body.messages.map(textOf)).toEqual(['Bye Ada from Lyon'])
  })

  it('never brings unpublished draft edits into a public session, but does into a preview session', async () => {
    const typebotId = await publishBot(versionOne(), 'update-draft')
    const live = await startAt('update-draft')
    const preview = await owner.call('POST', `/v1/typebots/${typebotId}/preview/startChat`, { body: {} })
    expect(preview.status).toBe(200)
    const draft = versionOne()
    replaceBlock(draft, 1, 0, text('t-nice', 'Draft greeting for {{Name}}'))
    await editAndPublish(typebotId, draft, { publish: false })

    expect((await update(live.sessionId)).status).toBe(200)
    expect((await update(preview.body.sessionId)).status).toBe(200)
    expect((await live.reply('Ada')).body.messages.map(textOf)).toEqual(['Nice to meet you Ada'])
    const previewReply = await createApiClient(server.url)('POST', `/v1/sessions/${preview.body.sessionId}/continueChat`, {
      body: { message: 'Ada' },
    })
    expect(previewReply.body.messages.map(textOf)).toEqual(['Draft greeting for Ada'])
  })

  it('validates the next reply with the new definition of the waiting block', async () => {
    const typebotId = await publishBot(versionOne(), 'update-validation')
    const session = await startAt('update-validation')
    await session.reply('Ada')
    const v2 = versionOne()
    replaceBlock(v2, 1, 1, numberInput('i-age', 'v-age', { max: 20 }))
    await editAndPublish(typebotId, v2)
    expect((await update(session.sessionId)).status).toBe(200)
    const retry = await session.reply('30')
    expect(retry.body.messages.map(textOf)).toEqual(['Invalid message. Please, try again.'])
    expect(retry.body.input.id).toBe('i-age')
    expect((await session.reply('18')).body.messages.map(textOf)).toEqual(['Bye Ada from Paris'])
  })

  it('resumes at the start of the group when the waiting block was deleted, and says so in logs', async () => {
    const typebotId = await publishBot(versionOne(), 'update-block-deleted')
    const session = await startAt('update-block-deleted')
    await session.reply('Ada')
    const v2 = versionOne()
    replaceBlock(v2, 1, 0, text('t-nice', 'Welcome back {{Name}}'))
    replaceBlock(v2, 1, 1, numberInput('i-age-2', 'v-age'))
    await editAndPublish(typebotId, v2)
    expect((await update(session.sessionId)).status).toBe(200)

    const resumed = await session.reply('30')
    expect(resumed.status, JSON.stringify(resumed.body)).toBe(200)
    expect(resumed.body.messages.map(textOf)).toEqual(['Welcome back Ada'])
    expect(resumed.body.input.id).toBe('i-age-2')
    expect(resumed.body.logs).toEqual([expect.objectContaining({ status: 'info', description: expect.stringContaining('removed') })])
    expect((await session.reply('30')).body.messages.map(textOf)).toEqual(['Bye Ada from Paris'])
  })

  it('restarts at the start event with variables kept when the group is gone too', async () => {
    const typebotId = await publishBot(versionOne(), 'update-group-deleted')
    const session = await startAt('update-group-deleted')
    await session.reply('Ada')
    const v2 = buildTypebot({
      variables,
      groups: [
        {
          id: 'g-new-start',
          title: 'New start',
          blocks: [text('t-again', 'Hello again {{Name}}'), textInput('i-city', 'v-city')],
          next: 'g-bye',
        },
        { id: 'g-bye', title: 'Bye', blocks: [text('t-bye', 'Bye {{Name}} from {{City}}')] },
      ],
    })
    await editAndPublish(typebotId, v2)
    expect((await update(session.sessionId)).status).toBe(200)
    const restarted = await session.reply('30')
    expect(restarted.status, JSON.stringify(restarted.body)).toBe(200)
    expect(restarted.body.messages.map(textOf)).toEqual(['Hello again Ada'])
    expect(restarted.body.logs[0]).toMatchObject({ status: 'info' })
    expect((await session.reply('Rome')).body.messages.map(textOf)).toEqual(['Bye Ada from Rome'])
  })

  it('is harmless when repeated', async () => {
    await publishBot(versionOne(), 'update-twice')
    const session = await startAt('update-twice')
    expect((await update(session.sessionId)).body).toEqual({ message: 'success' })
    expect((await update(session.sessionId)).body).toEqual({ message: 'success' })
    expect((await session.reply('Ada')).body.messages.map(textOf)).toEqual(['Nice to meet you Ada'])
  })
})

describe('updateTypebot statuses', () => {
  let typebotId: string
  let sessionId: string
  beforeAll(async () => {
    typebotId = await publishBot(versionOne(), 'update-statuses')
    sessionId = (await startAt('update-statuses')).sessionId
  })

  /** A new user given access the way `botflow workspace add-member` or the collaborators API does. */
  async function userWith(grant: (email: string) => Promise<unknown>) {
    const other = await createTestUser(server)
    await grant(other.email)
    return other.call
  }

  it('answers 401 without a header or with an unknown token', async () => {
    const anonymous = await update(sessionId, createApiClient(server.url))
    expect(anonymous.status).toBe(401)
    expect(anonymous.body).toEqual({ message: 'Authorization not provided', code: 'UNAUTHORIZED' })
    const unknown = await update(sessionId, createApiClient(server.url, 'bf_not-a-token'))
    expect(unknown.status).toBe(401)
    expect(unknown.body.code).toBe('UNAUTHORIZED')
  })

  it('answers 403 to an outsider, a GUEST and a READ collaborator, and changes nothing', async () => {
    const outsider = (await createTestUser(server)).call
    const guest = await userWith((email) => addWorkspaceMember(server.store, { workspaceId: owner.workspaceId, email, role: 'GUEST' }))
    const reader = await userWith((email) =>
      owner.call('POST', `/v1/typebots/${typebotId}/collaborators`, { body: { email, type: 'READ' } }),
    )
    const before = await owner.call('GET', `/v1/sessions/${sessionId}`)
    for (const client of [outsider, guest, reader]) {
      const refused = await update(sessionId, client)
      expect(refused.status).toBe(403)
      expect(refused.body).toEqual({ message: 'Insufficient access', code: 'FORBIDDEN' })
    }
    expect((await owner.call('GET', `/v1/sessions/${sessionId}`)).body.session.updatedAt).toBe(before.body.session.updatedAt)
  })

  it('lets a MEMBER and a WRITE collaborator update', async () => {
    const member = await userWith((email) => addWorkspaceMember(server.store, { workspaceId: owner.workspaceId, email, role: 'MEMBER' }))
    const writer = await userWith((email) =>
      owner.call('POST', `/v1/typebots/${typebotId}/collaborators`, { body: { email, type: 'WRITE' } }),
    )
    expect((await update(sessionId, member)).status).toBe(200)
    expect((await update(sessionId, writer)).status).toBe(200)
  })

  it('answers 404 for an unknown session and for an expired one', async () => {
    expect((await update('unknown-session')).body).toEqual({ message: 'Session not found', code: 'NOT_FOUND' })
    const session = await startAt('update-statuses')
    clock += 2 * 3_600_000
    try {
      const expired = await update(session.sessionId)
      expect(expired.status).toBe(404)
      expect(expired.body.code).toBe('NOT_FOUND')
    } finally {
      clock -= 2 * 3_600_000
    }
  })

  it('answers 400 for a malformed body', async () => {
    const malformed = await owner.call('POST', `/v1/sessions/${sessionId}/updateTypebot`, { body: '{"oops"' })
    expect(malformed.status).toBe(400)
    expect(malformed.body.code).toBe('BAD_REQUEST')
    const wrongType = await owner.call('POST', `/v1/sessions/${sessionId}/updateTypebot`, { body: '[1,2]' })
    expect(wrongType.status).toBe(400)
    expect(wrongType.body.issues.length).toBeGreaterThan(0)
  })
})

describe('bulk updates and the session read endpoint', () => {
  it('updates every ongoing session, directly or with updateOngoingSessions on publish', async () => {
    const typebotId = await publishBot(versionOne(), 'update-bulk')
    const sessions = await Promise.all([startAt('update-bulk'), startAt('update-bulk'), startAt('update-bulk')])
    const v2 = versionOne()
    replaceBlock(v2, 1, 0, text('t-nice', 'Bulk hello {{Name}}'))
    await editAndPublish(typebotId, v2)
    const bulk = await owner.call('POST', `/v1/typebots/${typebotId}/sessions/updateTypebot`, { body: {} })
    expect(bulk.body).toEqual({ message: 'success', updatedSessions: 3 })
    expect((await sessions[0]!.reply('Ada')).body.messages.map(textOf)).toEqual(['Bulk hello Ada'])

    const v3 = versionOne()
    replaceBlock(v3, 1, 0, text('t-nice', 'Publish hello {{Name}}'))
    await editAndPublish(typebotId, v3, { publish: false })
    const published = await owner.call('POST', `/v1/typebots/${typebotId}/publish`, { body: { updateOngoingSessions: true } })
    expect(published.body).toMatchObject({ message: 'success', updatedSessions: 3 })
    expect((await sessions[1]!.reply('Bob')).body.messages.map(textOf)).toEqual(['Publish hello Bob'])
  })

  it('describes a session: version, waiting block, variables, times', async () => {
    const typebotId = await publishBot(versionOne(), 'update-read')
    const session = await startAt('update-read')
    await session.reply('Ada')
    const read = await owner.call('GET', `/v1/sessions/${session.sessionId}`)
    expect(read.status).toBe(200)
    expect(read.body.session).toMatchObject({
      id: session.sessionId,
      typebotId,
      isPreview: false,
      isEnded: false,
      currentBlock: { id: 'i-age', type: 'number input', groupId: 'g-age', groupTitle: 'Age' },
    })
    expect(read.body.session.variables).toContainEqual({ id: 'v-name', name: 'Name', value: 'Ada' })
    const versionBefore = read.body.session.versionId
    await editAndPublish(typebotId, versionOne())
    await update(session.sessionId)
    const after = await owner.call('GET', `/v1/sessions/${session.sessionId}`)
    expect(after.body.session.versionId).not.toBe(versionBefore)
    expect((await createApiClient(server.url)('GET', `/v1/sessions/${session.sessionId}`)).status).toBe(401)
  })
})
