import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { helloTypebot } from '../helpers/hello-typebot.js'
import { createTestDatabase, type TestDatabase } from '../helpers/start-server.js'
import { lastLine, runCliCaptured, serveWithCli, type CliServer } from '../helpers/run-cli.js'

let database: TestDatabase
let server: CliServer
let env: Record<string, string>
let token: string
let workspaceId: string
let dir: string

beforeAll(async () => {
  database = await createTestDatabase()
  env = { DATABASE_URL: database.url }
  server = await serveWithCli(env)
  token = lastLine((await runCliCaptured(['token', 'create', '--email', 'owner@example.com'], env)).stdout)
  workspaceId = (await get('/v1/workspaces')).body.workspaces[0].id
  dir = mkdtempSync(join(tmpdir(), 'botflow-import-'))
})
afterAll(async () => {
  await server.stop()
  await database.drop()
  rmSync(dir, { recursive: true, force: true })
})

async function get(path: string) {
  const response = await fetch(`${server.url}/api${path}`, { headers: { authorization: `Bearer ${token}` } })
  return { status: response.status, body: await response.json() }
}

function writeJson(name: string, content: unknown): string {
  const file = join(dir, name)
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content))
  return file
}

describe('botflow typebot import', () => {
  it('imports a file and prints the new id alone', async () => {
    const run = await runCliCaptured(['typebot', 'import', writeJson('hello.json', { ...helloTypebot, publicId: 'from-file' }), '--workspace', workspaceId], env)
    expect(run.code).toBe(0)
    const id = run.stdout.trim()
    const read = await get(`/v1/typebots/${id}`)
    expect(read.status).toBe(200)
    expect(read.body.typebot).toMatchObject({ name: 'Hello', publicId: null, groups: helloTypebot.groups })
    expect((await get(`/v1/typebots/${id}/publishedTypebot`)).status).toBe(404)
  })

  it('sets the public id and publishes with --public-id and --publish', async () => {
    const run = await runCliCaptured(['typebot', 'import', writeJson('published.json', helloTypebot), '--workspace', workspaceId, '--public-id', 'hello-bot', '--publish'], env)
    expect(run.code).toBe(0)
    const id = lastLine(run.stdout)
    expect((await get(`/v1/typebots/${id}`)).body.typebot.publicId).toBe('hello-bot')
    const published = await get(`/v1/typebots/${id}/publishedTypebot`)
    expect(published.status).toBe(200)
    expect(published.body.publishedTypebot.groups).toEqual(helloTypebot.groups)
  })

  it('exits 6 when the public id is taken, storing nothing', async () => {
    const before = (await get(`/v1/typebots?workspaceId=${workspaceId}`)).body.typebots.length
    const run = await runCliCaptured(['typebot', 'import', writeJson('again.json', helloTypebot), '--workspace', workspaceId, '--public-id', 'hello-bot'], env)
    expect(run.code).toBe(6)
    expect(run.stderr).toContain('already taken')
    expect((await get(`/v1/typebots?workspaceId=${workspaceId}`)).body.typebots).toHaveLength(before)
  })

  it('lists unsupported blocks as warnings on stderr', async () => {
    const groups = [{ ...helloTypebot.groups[0], blocks: [...helloTypebot.groups[0].blocks, { id: 'ai', type: 'openai' }] }]
    const run = await runCliCaptured(['typebot', 'import', writeJson('ai.json', { ...helloTypebot, groups }), '--workspace', workspaceId], env)
    expect(run.code).toBe(0)
    expect(run.stderr).toMatch(/^warning: .*"ai"/m)
  })

  it.each([
    ['not JSON', '{ nope', 'is not valid JSON'],
    ['not a typebot', [1, 2], 'does not hold a typebot'],
    ['a group without blocks', { ...helloTypebot, groups: [{ id: 'g', title: 'x' }] }, 'typebot.groups.0.blocks'],
  ])('exits 4 for %s', async (_case, content, message) => {
    const run = await runCliCaptured(['typebot', 'import', writeJson('bad.json', content), '--workspace', workspaceId], env)
    expect(run.code).toBe(4)
    expect(run.stderr).toContain(message)
    expect(run.stdout).toBe('')
  })

  it('exits 5 for an unknown workspace', async () => {
    const run = await runCliCaptured(['typebot', 'import', writeJson('lost.json', helloTypebot), '--workspace', 'nope'], env)
    expect(run.code).toBe(5)
  })
})
