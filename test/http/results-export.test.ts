import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createStore } from '../../src/storage/create-store.js'
import { createUserWithToken } from '../../src/typebots/create-user-with-token.js'
import { createApiClient } from '../helpers/api-client.js'
import { insertResultsInBulk } from '../helpers/bulk-results.js'
import { buildTypebot, text, textInput } from '../helpers/flow-builder.js'
import { type ChildServer, startChildServer } from '../helpers/start-child-server.js'
import { createTestDatabase, startTestServer, type TestServer } from '../helpers/start-server.js'
import { storeTurn } from '../helpers/stored-turns.js'
import { createTestUser, type TestUser } from '../helpers/users.js'

const surveyBot = buildTypebot({
  variables: [
    { id: 'v-name', name: 'Name' },
    { id: 'v-email', name: 'Email' },
    { id: 'v-plan', name: 'Plan' },
    { id: 'v-secret', name: 'Secret' },
    { id: 'v-tags', name: 'Tags' },
  ],
  groups: [
    {
      id: 'g-contact',
      title: 'Contact',
      blocks: [
        text('t-hi', 'Hi'),
        textInput('i-name', 'v-name'),
        { id: 'i-email', type: 'email input', options: { variableId: 'v-email' } },
      ],
      next: 'g-feedback',
    },
    {
      id: 'g-feedback',
      title: 'Feedback',
      blocks: [{ id: 'i-feedback', type: 'text input', options: {} }, textInput('i-name-again', 'v-name')],
    },
  ],
})
// Session variables stay out of results tables and exports.
surveyBot.variables[3] = { ...surveyBot.variables[3], isSessionVariable: true } as (typeof surveyBot.variables)[number]

let server: TestServer
let owner: TestUser
beforeAll(async () => {
  server = await startTestServer()
  owner = await createTestUser(server)
})
afterAll(async () => server.close())

async function importSurvey(): Promise<string> {
  const imported = await owner.call('POST', '/v1/typebots/import', { body: { workspaceId: owner.workspaceId, typebot: surveyBot } })
  expect(imported.status, JSON.stringify(imported.body)).toBe(200)
  return imported.body.typebot.id
}

type StoredResult = { id: string; answers: [string, string][]; variables: { id: string; name: string; value: string | string[] | null }[] }

async function addResults(typebotId: string, results: StoredResult[]) {
  await storeTurn(
    server.store,
    { workspaceId: owner.workspaceId, typebotId },
    {
      results: results.map(({ id, variables }) => ({ id, typebotId, variables, hasStarted: true, isCompleted: true })),
      answers: results.flatMap(({ id, answers }) => answers.map(([blockId, content]) => ({ resultId: id, blockId, content }))),
    },
  )
}

async function download(path: string) {
  const response = await fetch(`${server.url}/api${path}`, { headers: { authorization: `Bearer ${owner.token}` } })
  return { status: response.status, headers: response.headers, text: await response.text() }
}

describe('results export', () => {
  it("writes Typebot's columns: inputs by variable or group, other variables, escaped formulas, newest first", async () => {
    const typebotId = await importSurvey()
    await addResults(typebotId, [
      {
        id: 'exp-1',
        answers: [
          ['i-name', 'Ada'],
          ['i-email', 'ada@example.com'],
          ['i-feedback', '=HYPERLINK("http://evil.example")'],
        ],
        variables: [
          { id: 'v-name', name: 'Name', value: 'Ada' },
          { id: 'v-plan', name: 'Plan', value: 'gold' },
          { id: 'v-secret', name: 'Secret', value: 'not exported' },
          { id: 'v-tags', name: 'Tags', value: ['a', 'b'] },
        ],
      },
      { id: 'exp-2', answers: [['i-name-again', 'Bob, "the builder"']], variables: [{ id: 'v-plan', name: 'Plan', value: null }] },
    ])
    const exported = await download(`/v1/typebots/${typebotId}/results/export`)
    expect(exported.status, exported.text).toBe(200)
    expect(exported.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(exported.headers.get('content-disposition')).toMatch(
      new RegExp(`^attachment; filename="typebot-${typebotId}-\\d{4}-\\d{2}-\\d{2}\\.csv"$`),
    )
    const lines = exported.text.split('\r\n')
    expect(lines[0]).toBe('Submitted at,Name,Email,Feedback,Plan,Tags')
    expect(lines.slice(1).map((line) => line.replace(/^[^,]+,/, '<date>,'))).toEqual([
      '<date>,"Bob, ""the builder""",,,,',
      '<date>,Ada,ada@example.com,"\'=HYPERLINK(""http://evil.example"")",gold,"a, b"',
      '',
    ])
    expect(lines[1]?.split(',')[0]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)
  })

  it('follows the column order and visibility saved with the typebot', async () => {
    const typebotId = await importSurvey()
    await addResults(typebotId, [
      { id: 'pref-1', answers: [['i-name', 'Ada']], variables: [{ id: 'v-plan', name: 'Plan', value: 'gold' }] },
    ])
    const patched = await owner.call('PATCH', `/v1/typebots/${typebotId}`, {
      body: { typebot: { resultsTablePreferences: { columnsOrder: ['v-plan', 'date'], columnsVisibility: { 'i-email': false } } } },
    })
    expect(patched.status, JSON.stringify(patched.body)).toBe(200)
    const exported = await download(`/v1/typebots/${typebotId}/results/export`)
    const [header, row] = exported.text.split('\r\n')
    expect(header).toBe('Plan,Submitted at,Name,Feedback,Tags')
    expect(row?.replace(/,[^,]+Z,/, ',<date>,')).toBe('gold,<date>,Ada,,')
  })

  it('streams NDJSON in the shape of GET results, and adds columns for deleted blocks on request', async () => {
    const typebotId = await importSurvey()
    await addResults(typebotId, [
      { id: 'nd-1', answers: [['i-name', 'Ada']], variables: [] },
      { id: 'nd-2', answers: [['gone-block', 'old answer']], variables: [] },
    ])
    const ndjson = await download(`/v1/typebots/${typebotId}/results/export?format=ndjson`)
    expect(ndjson.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8')
    const lines = ndjson.text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line))
    const listed = await owner.call('GET', `/v1/typebots/${typebotId}/results`)
    expect(lines).toEqual(listed.body.results)

    const withDeleted = await download(`/v1/typebots/${typebotId}/results/export?includeDeletedBlocks=true`)
    const [header, ...rows] = withDeleted.text.split('\r\n')
    expect(header).toBe('Submitted at,Name,Email,Feedback,Plan,Tags,gone-block (deleted block)')
    expect(rows).toContainEqual(expect.stringMatching(/,,,,,,old answer$/))
  })

  it('needs read access', async () => {
    const typebotId = await importSurvey()
    const stranger = await createTestUser(server)
    expect((await stranger.call('GET', `/v1/typebots/${typebotId}/results/export`)).status).toBeGreaterThanOrEqual(403)
    expect((await fetch(`${server.url}/api/v1/typebots/${typebotId}/results/export`)).status).toBe(401)
  })
})

describe('exporting 100,000 results', () => {
  it('streams them without the server holding them: its live heap stays flat', async () => {
    const database = await createTestDatabase()
    const child = await startChildServer({ ...database.env, TEST_HEAP_REPORT_MS: '250' }, { nodeArgs: ['--expose-gc'] })
    try {
      const config = database.url.startsWith('file:')
        ? ({ kind: 'sqlite', filename: database.url.slice('file:'.length) } as const)
        : ({ kind: 'postgres', connectionString: database.url } as const)
      const store = await createStore(config, { migrate: false })
      const { apiToken, workspace } = await createUserWithToken(store, { email: 'bulk@example.com' })
      await store.close()
      const call = createApiClient(child.url, apiToken.token)
      const imported = await call('POST', '/v1/typebots/import', { body: { workspaceId: workspace.id, typebot: surveyBot } })
      const typebotId: string = imported.body.typebot.id
      await insertResultsInBulk(config, typebotId, 100_000)

      const heapBefore = await liveHeapNow(child)
      const response = await fetch(`${child.url}/api/v1/typebots/${typebotId}/results/export`, {
        headers: { authorization: `Bearer ${apiToken.token}` },
      })
      expect(response.status).toBe(200)
      const reportsBefore = heapReports(child).length
      let lines = 0
      const decoder = new TextDecoder()
      const reader = response.body?.getReader()
      for (let read = await reader?.read(); read && !read.done; read = await reader?.read()) {
        lines += decoder.decode(read.value, { stream: true }).split('\r\n').length - 1
      }
      expect(lines).toBe(100_001)
      const during = heapReports(child).slice(reportsBefore)
      expect(during.length).toBeGreaterThan(1)
      // A page of 1,000 results is a megabyte or so; holding 100,000 takes tens of them.
      expect(Math.max(...during) - heapBefore).toBeLessThan(16 * 1024 * 1024)
    } finally {
      await child.stop()
      await database.drop()
    }
  }, 120_000)
})

function heapReports(child: ChildServer): number[] {
  return child.lines.filter((line) => line.startsWith('heap ')).map((line) => Number(line.slice('heap '.length)))
}

/** The next live-heap report of the child. */
async function liveHeapNow(child: ChildServer): Promise<number> {
  const seen = heapReports(child).length
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 50))
    const reports = heapReports(child)
    const latest = reports[reports.length - 1]
    if (reports.length > seen && latest !== undefined) return latest
  }
}
