/**
 * Rate limits of the public Chat API: 429 TOO_MANY_REQUESTS with Retry-After, per address (from
 * X-Forwarded-For only behind a trusted proxy), per session, shared by two server processes on
 * one database. A fixed clock 10 s into a window keeps single-server counts away from its end.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ApiClient, createApiClient } from '../helpers/api-client.js'
import { buildTypebot, text, textInput } from '../helpers/flow-builder.js'
import { startChildServer } from '../helpers/start-child-server.js'
import { createTestDatabase, startTestServer, startTestServerOn, type TestDatabase, type TestServer } from '../helpers/start-server.js'
import { createTestUser } from '../helpers/users.js'

const limits = {
  RATE_LIMIT: 'on',
  RATE_LIMIT_NEW_SESSIONS_PER_IP: '3',
  RATE_LIMIT_REPLIES_PER_SESSION: '3',
  RATE_LIMIT_REPLIES_PER_IP: '5',
  RATE_LIMIT_CLIENT_LOGS_PER_IP: '2',
  RATE_LIMIT_UPLOADS_PER_IP: '2',
}
const windowStart = Math.floor(Date.now() / 60_000) * 60_000
const tenSecondsIn = () => windowStart + 10_000

async function startLimitedServer(env: Record<string, string>, options: { database?: TestDatabase } = {}) {
  // One server per database has a fixed clock; servers sharing a database with a child process use the real one.
  const server = options.database
    ? await startTestServerOn(options.database, { ...limits, ...env })
    : await startTestServer({ ...limits, ...env }, { now: tenSecondsIn })
  const owner = await createTestUser(server)
  // A question asked again and again: every reply gets an answer.
  const typebot = buildTypebot({
    groups: [{ id: 'g', title: 'Ask', blocks: [text('t', 'Again?'), textInput('i', 'v')], next: 'g' }],
    variables: [{ id: 'v', name: 'Answer' }],
  })
  const imported = await owner.call('POST', '/v1/typebots/import', { body: { workspaceId: owner.workspaceId, typebot } })
  const typebotId = imported.body.typebot.id
  expect((await owner.call('PATCH', `/v1/typebots/${typebotId}`, { body: { typebot: { publicId: 'limited' } } })).status).toBe(200)
  expect((await owner.call('POST', `/v1/typebots/${typebotId}/publish`, { body: {} })).status).toBe(200)
  return server
}

const start = (call: ApiClient, headers: Record<string, string> = {}) =>
  call('POST', '/v1/typebots/limited/startChat', { body: {}, headers })

describe('behind a trusted proxy (TRUST_PROXY=true)', () => {
  let server: TestServer
  let call: ApiClient
  beforeAll(async () => {
    server = await startLimitedServer({ TRUST_PROXY: 'true' })
    call = createApiClient(server.url)
  })
  afterAll(async () => server.close())

  it('answers 429 with Retry-After after RATE_LIMIT_NEW_SESSIONS_PER_IP startChat from one address, not for another address', async () => {
    const client = { 'x-forwarded-for': '203.0.113.1', origin: 'https://site.example' }
    for (let count = 0; count < 3; count++) expect((await start(call, client)).status).toBe(200)
    const refused = await start(call, client)
    expect(refused.status).toBe(429)
    expect(refused.headers.get('retry-after')).toBe('50')
    expect(refused.headers.get('access-control-allow-origin')).toBe('https://site.example')
    expect(refused.body).toEqual({ code: 'TOO_MANY_REQUESTS', message: 'Too many requests: retry in 50 s' })
    expect((await start(call, { 'x-forwarded-for': '203.0.113.2' })).status).toBe(200)
  })

  it('limits replies per session, and per address across sessions', async () => {
    const client = { 'x-forwarded-for': '198.51.100.7' }
    const first = (await start(call, client)).body.sessionId
    const second = (await start(call, client)).body.sessionId
    const reply = (sessionId: string) =>
      call('POST', `/v1/sessions/${sessionId}/continueChat`, { body: { message: 'Hi' }, headers: client })
    const statuses = [await reply(first), await reply(first), await reply(first), await reply(first)].map((response) => response.status)
    expect(statuses).toEqual([200, 200, 200, 429])
    // The address counted 4 replies; its limit is 5.
    expect((await reply(second)).status).toBe(200)
    expect((await reply(second)).status).toBe(429)
    const otherAddress = await call('POST', `/v1/sessions/${second}/continueChat`, {
      body: { message: 'Hi' },
      headers: { 'x-forwarded-for': '198.51.100.8' },
    })
    expect(otherAddress.status).toBe(200)
  })

  it('limits client logs per address', async () => {
    const client = { 'x-forwarded-for': '192.0.2.9' }
    const sessionId = (await start(call, client)).body.sessionId
    const log = () =>
      call('POST', `/v2/sessions/${sessionId}/clientLogs`, { body: { clientLogs: [{ description: 'x' }] }, headers: client })
    expect([(await log()).status, (await log()).status, (await log()).status]).toEqual([200, 200, 429])
  })
})

describe('the other public routes', () => {
  let server: TestServer
  let call: ApiClient
  beforeAll(async () => {
    server = await startLimitedServer({ TRUST_PROXY: 'true' })
    call = createApiClient(server.url)
  })
  afterAll(async () => server.close())

  it('limits upload URLs per address, before reading the request', async () => {
    const client = { 'x-forwarded-for': '192.0.2.50' }
    const ask = async () => (await call('POST', '/v3/generate-upload-url', { body: {}, headers: client })).status
    expect([await ask(), await ask(), await ask()]).toEqual([400, 400, 429])
  })

  it('counts AI answer streams as replies of their session', async () => {
    const client = { 'x-forwarded-for': '192.0.2.51' }
    const stream = async () => (await call('POST', '/v2/sessions/unknown/streamMessage', { body: {}, headers: client })).status
    expect([await stream(), await stream(), await stream(), await stream()]).toEqual([404, 404, 404, 429])
  })
})

describe('without TRUST_PROXY (the default)', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startLimitedServer({})
  })
  afterAll(async () => server.close())

  it('ignores X-Forwarded-For: a client cannot pick a new address for each request', async () => {
    const call = createApiClient(server.url)
    const statuses: number[] = []
    for (let count = 0; count < 5; count++) statuses.push((await start(call, { 'x-forwarded-for': `203.0.113.${count}` })).status)
    expect(statuses).toEqual([200, 200, 200, 429, 429])
  })
})

describe('RATE_LIMIT=off', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startLimitedServer({ RATE_LIMIT: 'off', RATE_LIMIT_NEW_SESSIONS_PER_IP: '1' })
  })
  afterAll(async () => server.close())

  it('never answers 429', async () => {
    const call = createApiClient(server.url)
    for (let count = 0; count < 5; count++) expect((await start(call)).status).toBe(200)
  })
})

describe('two server processes on one database', () => {
  let database: TestDatabase
  let server: TestServer
  let child: Awaited<ReturnType<typeof startChildServer>>
  beforeAll(async () => {
    const shared = { RATE_LIMIT_SYNC_MS: '50' }
    database = await createTestDatabase()
    server = await startLimitedServer(shared, { database })
    child = await startChildServer({ ...database.env, ...limits, ...shared })
  })
  afterAll(async () => {
    await child.stop()
    await server.close()
    await database.drop()
  })

  it('share the counts: once one process exhausted an address, the other refuses it too', async () => {
    // Both processes use the real clock here: start well inside a window.
    const msIntoWindow = Date.now() % 60_000
    if (msIntoWindow > 50_000) await sleep(60_000 - msIntoWindow + 100)
    for (let count = 0; count < 3; count++) expect((await start(createApiClient(server.url))).status).toBe(200)
    // Each process syncs every 50 ms; the other one's answer changes within a few syncs.
    const statuses: number[] = []
    for (let attempt = 0; attempt < 3 && !statuses.includes(429); attempt++) {
      await sleep(300)
      statuses.push((await start(createApiClient(child.url))).status)
    }
    expect(statuses).toContain(429)
    expect(statuses.filter((status) => status === 200).length).toBeLessThan(3)
  })
})
