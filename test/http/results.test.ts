import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CompactSessionState, TurnRecords } from '../../src/engine/types.js'
import { newId } from '../../src/ids.js'
import { getResultResponseSchema, listResultsResponseSchema } from '../../src/schemas/management-api.js'
import { openDatabase } from '../../src/storage/create-store.js'
import { type ApiClient, createApiClient } from '../helpers/api-client.js'
import { expectBuilderApiShape } from '../helpers/builder-api-validator.js'
import { helloTypebot } from '../helpers/hello-typebot.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { createTestUser, type TestUser } from '../helpers/users.js'

let server: TestServer
let call: ApiClient
let owner: TestUser

beforeAll(async () => {
  server = await startTestServer()
  call = createApiClient(server.url)
  owner = await createTestUser(server, 'owner@example.com')
})
afterAll(async () => server.close())

async function importTypebot(): Promise<string> {
  const response = await call('POST', '/v1/typebots/import', {
    token: owner.token,
    body: { workspaceId: owner.workspaceId, typebot: helloTypebot },
  })
  expectBuilderApiShape(response)
  return response.body.typebot.id
}

/** Stores results the way a chat turn does (one commit: they share a createdAt). */
async function addResults(
  typebotId: string,
  results: { id: string; answer?: string; log?: string; name?: string; hasStarted?: boolean; isCompleted?: boolean }[],
) {
  const records: TurnRecords = {
    results: results.map(({ id, name, hasStarted, isCompleted }) => ({
      id,
      typebotId,
      variables: [{ id: 'var-1', name: 'Name', value: name ?? null }],
      hasStarted: hasStarted ?? true,
      isCompleted: isCompleted ?? false,
    })),
    answers: results.flatMap(({ id, answer }) => (answer ? [{ resultId: id, blockId: 'input-1', content: answer }] : [])),
    logs: results.flatMap(({ id, log }) => (log ? [{ resultId: id, status: 'error', description: log, details: 'details' }] : [])),
    visitedEdges: [],
    setVariableHistory: [],
  }
  const state: CompactSessionState = {
    version: 'botflow-2',
    workspaceId: owner.workspaceId,
    isPreview: false,
    typebotsQueue: [{ typebotId, versionId: 'v', variables: [], answers: [] }],
  }
  expect(await server.store.commitTurn({ kind: 'create', session: { id: newId(), typebotId, state } }, records)).toBe(true)
}

describe('results', () => {
  it('lists results with their answers and variables, and reads one', async () => {
    const typebotId = await importTypebot()
    await addResults(typebotId, [{ id: 'result-a', answer: 'Ada', name: 'Ada' }])
    const response = await call('GET', `/v1/typebots/${typebotId}/results`, { token: owner.token })
    expect(response.status).toBe(200)
    expectBuilderApiShape(response)
    const { results, nextCursor } = listResultsResponseSchema.parse(response.body)
    expect(nextCursor).toBeUndefined()
    expect(results).toEqual([
      expect.objectContaining({
        id: 'result-a',
        typebotId,
        hasStarted: true,
        isCompleted: false,
        variables: [{ id: 'var-1', name: 'Name', value: 'Ada' }],
        answers: [{ blockId: 'input-1', content: 'Ada', createdAt: expect.any(String) }],
      }),
    ])
    const one = await call('GET', `/v1/typebots/${typebotId}/results/result-a`, { token: owner.token })
    expectBuilderApiShape(one)
    expect(getResultResponseSchema.parse(one.body).result).toEqual(results[0])
  })

  it('leaves out variables without a value, as Typebot never stores them in a result', async () => {
    const typebotId = await importTypebot()
    await addResults(typebotId, [{ id: 'nameless' }])
    const response = await call('GET', `/v1/typebots/${typebotId}/results/nameless`, { token: owner.token })
    expect(response.status).toBe(200)
    expectBuilderApiShape(response)
    expect(response.body.result.variables).toEqual([])
  })

  it('pages through results newest first without skipping results created in the same instant', async () => {
    const typebotId = await importTypebot()
    await addResults(typebotId, [{ id: 'old-1' }, { id: 'old-2' }])
    await new Promise((resolve) => setTimeout(resolve, 5))
    await addResults(typebotId, [{ id: 'new-1' }, { id: 'new-2' }, { id: 'new-3' }])
    const seen: string[] = []
    let cursor: string | undefined
    for (let page = 0; page < 5; page++) {
      const response = await call('GET', `/v1/typebots/${typebotId}/results?limit=2${cursor ? `&cursor=${cursor}` : ''}`, {
        token: owner.token,
      })
      expect(response.status).toBe(200)
      // botflow's own cursor is a result id (a string); Typebot's is a numeric offset, accepted too.
      expectBuilderApiShape(response, { retyped: ['/nextCursor'] })
      seen.push(...response.body.results.map((result: { id: string }) => result.id))
      cursor = response.body.nextCursor
      if (!cursor) break
    }
    expect(seen).toEqual(['new-3', 'new-2', 'new-1', 'old-2', 'old-1'])
  })

  it('refuses an unknown cursor', async () => {
    const typebotId = await importTypebot()
    const response = await call('GET', `/v1/typebots/${typebotId}/results?cursor=nope`, { token: owner.token })
    expect(response.status).toBe(400)
    expectBuilderApiShape(response)
  })

  it('lists the logs of a result', async () => {
    const typebotId = await importTypebot()
    await addResults(typebotId, [{ id: 'logged', log: 'Webhook returned an error' }])
    const response = await call('GET', `/v1/typebots/${typebotId}/results/logged/logs`, { token: owner.token })
    expect(response.status).toBe(200)
    expectBuilderApiShape(response)
    expect(response.body.logs).toEqual([
      {
        id: expect.any(String),
        createdAt: expect.any(String),
        resultId: 'logged',
        status: 'error',
        description: 'Webhook returned an error',
        details: 'details',
        context: null,
      },
    ])
  })

  it('answers 404 for a result that belongs to another typebot', async () => {
    const typebotId = await importTypebot()
    const otherTypebotId = await importTypebot()
    await addResults(otherTypebotId, [{ id: 'elsewhere' }])
    for (const path of [`/v1/typebots/${typebotId}/results/elsewhere`, `/v1/typebots/${typebotId}/results/elsewhere/logs`]) {
      const response = await call('GET', path, { token: owner.token })
      expect(response.status).toBe(404)
      expectBuilderApiShape(response)
    }
  })

  it('deletes the listed results, then all of them', async () => {
    const typebotId = await importTypebot()
    await addResults(typebotId, [{ id: 'keep', answer: 'a' }, { id: 'drop-1', answer: 'b' }, { id: 'drop-2' }])
    const ids = async () =>
      (await call('GET', `/v1/typebots/${typebotId}/results`, { token: owner.token })).body.results
        .map((result: { id: string }) => result.id)
        .sort()
    const deleted = await call('DELETE', `/v1/typebots/${typebotId}/results?resultIds=drop-1,drop-2`, { token: owner.token })
    expect([deleted.status, deleted.body]).toEqual([200, { message: 'success', deletedCount: 2 }])
    // Typebot answers no body; botflow says how many results went.
    expectBuilderApiShape(deleted, { extraBody: true })
    expect(await ids()).toEqual(['keep'])
    expect((await call('GET', `/v1/typebots/${typebotId}/results/drop-1`, { token: owner.token })).status).toBe(404)
    expect((await call('DELETE', `/v1/typebots/${typebotId}/results`, { token: owner.token })).body.deletedCount).toBe(1)
    expect(await ids()).toEqual([])
  })

  it('deletes only the results listed in the JSON body, where Typebot puts resultIds', async () => {
    const typebotId = await importTypebot()
    await addResults(typebotId, [{ id: 'body-keep', answer: 'a' }, { id: 'body-drop-1', answer: 'b' }, { id: 'body-drop-2' }])
    const deleted = await call('DELETE', `/v1/typebots/${typebotId}/results`, {
      token: owner.token,
      body: { resultIds: 'body-drop-1,body-drop-2' },
    })
    expect(deleted.status).toBe(200)
    expectBuilderApiShape(deleted, { extraBody: true })
    expect(deleted.body).toEqual({ message: 'success', deletedCount: 2 })
    expect(await resultIdsOf(typebotId)).toEqual(['body-keep'])
  })

  it('takes resultIds as a list in the body, and the union of the body and the query string', async () => {
    const typebotId = await importTypebot()
    await addResults(typebotId, [{ id: 'u-keep' }, { id: 'u-1' }, { id: 'u-2' }, { id: 'u-3' }])
    const asList = await call('DELETE', `/v1/typebots/${typebotId}/results`, { token: owner.token, body: { resultIds: ['u-1'] } })
    expect(asList.body).toEqual({ message: 'success', deletedCount: 1 })
    const both = await call('DELETE', `/v1/typebots/${typebotId}/results?resultIds=u-2`, { token: owner.token, body: { resultIds: 'u-3' } })
    expect(both.body).toEqual({ message: 'success', deletedCount: 2 })
    expect(await resultIdsOf(typebotId)).toEqual(['u-keep'])
  })

  it('deletes nothing for an empty list, and refuses a body field it does not know instead of deleting everything', async () => {
    const typebotId = await importTypebot()
    await addResults(typebotId, [{ id: 'safe-1' }, { id: 'safe-2' }])
    const empty = await call('DELETE', `/v1/typebots/${typebotId}/results`, { token: owner.token, body: { resultIds: '' } })
    expect(empty.body).toEqual({ message: 'success', deletedCount: 0 })
    const typo = await call('DELETE', `/v1/typebots/${typebotId}/results`, { token: owner.token, body: { ids: ['safe-1'] } })
    expect(typo.status).toBe(400)
    expect(typo.body.code).toBe('BAD_REQUEST')
    expect(await resultIdsOf(typebotId)).toEqual(['safe-1', 'safe-2'])
  })
})

describe('results over time', () => {
  it("filters by timeFilter in the caller's time zone, and refuses an unknown zone", async () => {
    const typebotId = await importTypebot()
    await addResults(typebotId, [{ id: 'now' }, { id: 'ten-days' }, { id: 'forty-days' }])
    await backdate({ 'ten-days': 10, 'forty-days': 40 })
    const listed = async (query: string) => {
      const response = await call('GET', `/v1/typebots/${typebotId}/results${query}`, { token: owner.token })
      expect(response.status, JSON.stringify(response.body)).toBe(200)
      return response.body.results.map((result: { id: string }) => result.id)
    }
    expect(await listed('')).toEqual(['now', 'ten-days', 'forty-days'])
    expect(await listed('?timeFilter=last7Days&timeZone=Pacific/Kiritimati')).toEqual(['now'])
    expect(await listed('?timeFilter=last30Days')).toEqual(['now', 'ten-days'])
    const badZone = await call('GET', `/v1/typebots/${typebotId}/results?timeFilter=today&timeZone=Nowhere/Else`, { token: owner.token })
    expect(badZone.status).toBe(400)
    expect(badZone.body.issues).toEqual([expect.objectContaining({ path: ['timeZone'] })])
  })

  it("pages with Typebot's numeric offset cursor too", async () => {
    const typebotId = await importTypebot()
    await addResults(typebotId, [{ id: 'o-1' }, { id: 'o-2' }, { id: 'o-3' }])
    const first = await call('GET', `/v1/typebots/${typebotId}/results?limit=2&cursor=0`, { token: owner.token })
    expect(first.body.results.map((result: { id: string }) => result.id)).toEqual(['o-3', 'o-2'])
    expect(first.body.nextCursor).toBe(2)
    expectBuilderApiShape(first)
    const second = await call('GET', `/v1/typebots/${typebotId}/results?limit=2&cursor=2`, { token: owner.token })
    expect(second.body.results.map((result: { id: string }) => result.id)).toEqual(['o-1'])
    expect(second.body.nextCursor).toBeUndefined()
  })
})

describe('analytics stats', () => {
  it('counts views, starts and completions of the period, last 7 days by default as in Typebot', async () => {
    const typebotId = await importTypebot()
    expect((await call('POST', `/v1/typebots/${typebotId}/publish`, { token: owner.token, body: {} })).status).toBe(200)
    await addResults(typebotId, [
      { id: 's-viewed', hasStarted: false },
      { id: 's-started' },
      { id: 's-done', isCompleted: true },
      { id: 's-old', isCompleted: true },
    ])
    await backdate({ 's-old': 10 })
    const stats = async (query = '') => {
      const response = await call('GET', `/v1/typebots/${typebotId}/analytics/stats${query}`, { token: owner.token })
      expect(response.status, JSON.stringify(response.body)).toBe(200)
      expectBuilderApiShape(response)
      return response.body.stats
    }
    expect(await stats()).toEqual({ totalViews: 3, totalStarts: 2, totalCompleted: 1 })
    expect(await stats('?timeFilter=allTime')).toEqual({ totalViews: 4, totalStarts: 3, totalCompleted: 2 })
    expect(await stats('?timeFilter=today&timeZone=Europe/Paris')).toMatchObject({ totalCompleted: 1 })
  })

  it('answers 404 for a typebot that is not published, and for an unknown time zone 400', async () => {
    const typebotId = await importTypebot()
    const unpublished = await call('GET', `/v1/typebots/${typebotId}/analytics/stats`, { token: owner.token })
    expect(unpublished.status).toBe(404)
    expectBuilderApiShape(unpublished)
    await call('POST', `/v1/typebots/${typebotId}/publish`, { token: owner.token, body: {} })
    const badZone = await call('GET', `/v1/typebots/${typebotId}/analytics/stats?timeZone=Nowhere/Else`, { token: owner.token })
    expect(badZone.status).toBe(400)
    expectBuilderApiShape(badZone)
  })
})

/** Moves results back in time, as if they had been created that many days ago. */
async function backdate(daysById: Record<string, number>) {
  const db = openDatabase(server.config.database, { migrate: false })
  try {
    for (const [id, days] of Object.entries(daysById)) {
      const createdAt = new Date(Date.now() - days * 86_400_000).toISOString()
      await sql`update results set created_at = ${createdAt} where id = ${id}`.execute(db)
    }
  } finally {
    await db.destroy()
  }
}

async function resultIdsOf(typebotId: string): Promise<string[]> {
  const listed = await call('GET', `/v1/typebots/${typebotId}/results`, { token: owner.token })
  expect(listed.status).toBe(200)
  return listed.body.results.map((result: { id: string }) => result.id).sort()
}
