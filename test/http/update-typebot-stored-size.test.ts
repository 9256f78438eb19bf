import SqliteDatabase from 'better-sqlite3'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { QueueEntry } from '../../src/engine/types.js'
import { createApiClient } from '../helpers/api-client.js'
import { importAndPublish, textOf } from '../helpers/chat-fixtures.js'
import { buildTypebot, text, textInput } from '../helpers/flow-builder.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { createTestUser, type TestUser } from '../helpers/users.js'

type TestVariable = { id: string; name: string; value?: string }

/** 300 variables; the flow asks for one of them and shows it. */
const manyVariables: TestVariable[] = [
  { id: 'v-name', name: 'Name' },
  ...Array.from({ length: 299 }, (_, index) => ({ id: `v-extra-${index}`, name: `Extra variable number ${index}` })),
]

function versionOne(variables = manyVariables, bye = 'Bye {{Name}}') {
  return buildTypebot({
    variables,
    groups: [
      { id: 'g-name', title: 'Name', blocks: [textInput('i-name', 'v-name')], next: 'g-more' },
      { id: 'g-more', title: 'More', blocks: [text('t-thanks', 'Thanks {{Name}}'), textInput('i-more', 'v-extra-0')], next: 'g-bye' },
      { id: 'g-bye', title: 'Bye', blocks: [text('t-bye', bye)] },
    ],
  })
}

/** v2: drops the last variable (never answered) and adds Mood with a default. */
function versionTwo() {
  return versionOne([...manyVariables.slice(0, -1), { id: 'v-mood', name: 'Mood', value: 'cheerful' }], 'Bye {{Name}}, you are {{Mood}}')
}

let server: TestServer
let owner: TestUser
beforeAll(async () => {
  server = await startTestServer()
  owner = await createTestUser(server)
})
afterAll(async () => server.close())

async function publishNew(publicId: string) {
  const [id] = await importAndPublish(owner, [{ fixture: versionOne(), publicId }])
  return id as string
}

async function publishVersionTwo(typebotId: string) {
  const { groups, edges, variables } = versionTwo()
  expect((await owner.call('PATCH', `/v1/typebots/${typebotId}`, { body: { typebot: { groups, edges, variables } } })).status).toBe(200)
  expect((await owner.call('POST', `/v1/typebots/${typebotId}/publish`, { body: {} })).status).toBe(200)
}

async function startAndAnswerName(publicId: string) {
  const chat = createApiClient(server.url)
  const start = await chat('POST', `/v1/typebots/${publicId}/startChat`, { body: {} })
  expect(start.status, JSON.stringify(start.body)).toBe(200)
  const sessionId: string = start.body.sessionId
  const reply = (message: string) => chat('POST', `/v1/sessions/${sessionId}/continueChat`, { body: { message } })
  expect((await reply('Ada')).body.messages.map(textOf)).toEqual(['Thanks Ada'])
  return { sessionId, reply }
}

async function storedRoot(sessionId: string): Promise<{ version: string; root: QueueEntry; size: number }> {
  const session = await server.store.findSession(sessionId)
  if (!session) throw new Error(`session ${sessionId} not stored`)
  const root = session.state.typebotsQueue.at(-1)
  if (!root) throw new Error('empty queue')
  return { version: session.state.version, root, size: JSON.stringify(session.state).length }
}

const update = (sessionId: string) => owner.call('POST', `/v1/sessions/${sessionId}/updateTypebot`)

describe('stored session size on a typebot with many variables', () => {
  it('stores only the answered variable, before and after updates, and still shows it', async () => {
    const typebotId = await publishNew('many-variables')
    const { sessionId, reply } = await startAndAnswerName('many-variables')
    const declarationsSize = JSON.stringify(manyVariables).length
    expect(declarationsSize).toBeGreaterThan(10_000)

    const started = await storedRoot(sessionId)
    expect(started.version).toBe('botflow-2')
    expect(started.root.variables).toEqual([{ id: 'v-name', name: 'Name', value: 'Ada' }])
    expect(started.size).toBeLessThan(1_000)

    await publishVersionTwo(typebotId)
    expect((await update(sessionId)).status).toBe(200)
    const updated = await storedRoot(sessionId)
    expect(updated.root.versionId).not.toBe(started.root.versionId)
    // The variable v2 dropped stays in the session, as in Typebot: it is the only one now stored besides the answer.
    expect(updated.root.variables).toEqual([
      { id: 'v-name', name: 'Name', value: 'Ada' },
      { id: 'v-extra-298', name: 'Extra variable number 298' },
    ])
    expect(updated.size).toBeLessThan(1_000)

    expect((await update(sessionId)).status).toBe(200)
    expect((await storedRoot(sessionId)).root).toEqual(updated.root)

    const view = await owner.call('GET', `/v1/sessions/${sessionId}`)
    expect(view.body.session.variables).toHaveLength(301)
    expect(view.body.session.variables).toContainEqual({ id: 'v-name', name: 'Name', value: 'Ada' })
    expect(view.body.session.variables).toContainEqual({ id: 'v-mood', name: 'Mood', value: 'cheerful' })

    expect((await reply('more')).body.messages.map(textOf)).toEqual(['Bye Ada, you are cheerful'])
  })

  it('keeps a session stored with full variable lists (before compaction) working, and compacts it on the next write', async () => {
    const typebotId = await publishNew('many-variables-legacy')
    const legacyReply = await startAndAnswerName('many-variables-legacy')
    const updatedLater = await startAndAnswerName('many-variables-legacy')
    for (const { sessionId } of [legacyReply, updatedLater]) await rewriteAsFullState(sessionId)
    expect((await storedRoot(legacyReply.sessionId)).version).toBe('botflow-1')

    expect((await legacyReply.reply('more')).body.messages.map(textOf)).toEqual(['Bye Ada'])

    await publishVersionTwo(typebotId)
    expect((await update(updatedLater.sessionId)).status).toBe(200)
    const updated = await storedRoot(updatedLater.sessionId)
    expect(updated.version).toBe('botflow-2')
    expect(updated.root.variables).toEqual([
      { id: 'v-name', name: 'Name', value: 'Ada' },
      { id: 'v-extra-298', name: 'Extra variable number 298' },
    ])
    expect((await updatedLater.reply('more')).body.messages.map(textOf)).toEqual(['Bye Ada, you are cheerful'])
  })
})

/** Writes the session row the way the former code stored it: every declared variable, updated ones last. */
async function rewriteAsFullState(sessionId: string) {
  const session = await server.store.findSession(sessionId)
  if (!session) throw new Error(`session ${sessionId} not stored`)
  const answered = session.state.typebotsQueue[0].variables
  const answeredIds = new Set(answered.map((variable) => variable.id))
  const variables = [...manyVariables.filter((variable) => !answeredIds.has(variable.id)), ...answered]
  const state = { ...session.state, version: 'botflow-1', typebotsQueue: [{ ...session.state.typebotsQueue[0], variables }] }
  const json = JSON.stringify(state)
  const database = server.config.database
  if (database.kind === 'sqlite') {
    const sqlite = new SqliteDatabase(database.filename)
    try {
      sqlite.prepare('UPDATE sessions SET state = ? WHERE id = ?').run(json, sessionId)
    } finally {
      sqlite.close()
    }
    return
  }
  const client = new pg.Client({ connectionString: database.connectionString })
  await client.connect()
  try {
    await client.query('UPDATE sessions SET state = $1 WHERE id = $2', [json, sessionId])
  } finally {
    await client.end()
  }
}
