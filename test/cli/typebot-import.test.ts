import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readFixture } from '../helpers/chat-fixtures.js'
import { helloTypebot } from '../helpers/hello-typebot.js'
import { lastLine, useServedDatabase } from '../helpers/run-cli.js'

const cli = useServedDatabase()
let token: string
let workspaceId: string
let dir: string

beforeAll(async () => {
  token = lastLine((await cli.run(['token', 'create', '--email', 'owner@example.com'])).stdout)
  workspaceId = (await get('/v1/workspaces')).body.workspaces[0].id
  dir = mkdtempSync(join(tmpdir(), 'botflow-import-'))
})
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

const get = (path: string) => cli.get(path, token)

function writeJson(name: string, content: unknown): string {
  const file = join(dir, name)
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content))
  return file
}

describe('botflow typebot import', () => {
  it('imports a file and prints the new id alone', async () => {
    const run = await cli.run([
      'typebot',
      'import',
      writeJson('hello.json', { ...helloTypebot, publicId: 'from-file' }),
      '--workspace',
      workspaceId,
    ])
    expect(run.code).toBe(0)
    const id = run.stdout.trim()
    const read = await get(`/v1/typebots/${id}`)
    expect(read.status).toBe(200)
    expect(read.body.typebot).toMatchObject({ name: 'Hello', publicId: null, groups: helloTypebot.groups })
    expect((await get(`/v1/typebots/${id}/publishedTypebot`)).status).toBe(404)
  })

  it('sets the public id and publishes with --public-id and --publish', async () => {
    const run = await cli.run([
      'typebot',
      'import',
      writeJson('published.json', helloTypebot),
      '--workspace',
      workspaceId,
      '--public-id',
      'hello-bot',
      '--publish',
    ])
    expect(run.code).toBe(0)
    const id = lastLine(run.stdout)
    expect((await get(`/v1/typebots/${id}`)).body.typebot.publicId).toBe('hello-bot')
    const published = await get(`/v1/typebots/${id}/publishedTypebot`)
    expect(published.status).toBe(200)
    expect(published.body.publishedTypebot.groups).toEqual(helloTypebot.groups)
  })

  it('exits 6 when the public id is taken, storing nothing', async () => {
    const before = (await get(`/v1/typebots?workspaceId=${workspaceId}`)).body.typebots.length
    const run = await cli.run([
      'typebot',
      'import',
      writeJson('again.json', helloTypebot),
      '--workspace',
      workspaceId,
      '--public-id',
      'hello-bot',
    ])
    expect(run.code).toBe(6)
    expect(run.stderr).toContain('already taken')
    expect((await get(`/v1/typebots?workspaceId=${workspaceId}`)).body.typebots).toHaveLength(before)
  })

  it('exits 2 for a reserved public id, storing nothing', async () => {
    const before = (await get(`/v1/typebots?workspaceId=${workspaceId}`)).body.typebots.length
    const run = await cli.run(['typebot', 'import', writeJson('api.json', helloTypebot), '--workspace', workspaceId, '--public-id', 'api'])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('reserved')
    expect((await get(`/v1/typebots?workspaceId=${workspaceId}`)).body.typebots).toHaveLength(before)
  })

  it('lists unsupported blocks as warnings on stderr', async () => {
    const groups = [{ ...helloTypebot.groups[0], blocks: [...helloTypebot.groups[0]!.blocks, { id: 'qr', type: 'qr-code' }] }]
    const run = await cli.run(['typebot', 'import', writeJson('qr.json', { ...helloTypebot, groups }), '--workspace', workspaceId])
    expect(run.code).toBe(0)
    expect(run.stderr).toMatch(/^warning: .*"qr"/m)
  })

  it.each([
    ['not JSON', '{ nope', 'is not valid JSON'],
    ['not a typebot', [1, 2], 'does not hold a typebot'],
    ['a group without blocks', { ...helloTypebot, groups: [{ id: 'g', title: 'x' }] }, 'typebot.groups.0.blocks'],
  ])('exits 4 for %s', async (_case, content, message) => {
    const run = await cli.run(['typebot', 'import', writeJson('bad.json', content), '--workspace', workspaceId])
    expect(run.code).toBe(4)
    expect(run.stderr).toContain(message)
    expect(run.stdout).toBe('')
  })

  it('imports typebots that link to each other, from several files or one list, relinked to their new ids', async () => {
    const [first, second, third] = ['1', '2', '3'].map((name) => readFixture(`linkTypebots/${name}.json`))
    const run = await cli.run([
      'typebot',
      'import',
      writeJson('linked-1.json', first),
      writeJson('linked-2-and-3.json', [second, third]),
      '--workspace',
      workspaceId,
      '--publish',
    ])
    expect(run.code, run.stderr).toBe(0)
    const ids = run.stdout.trim().split('\n')
    expect(ids).toHaveLength(3)
    const linksOf = async (id: string | undefined) =>
      (await get(`/v1/typebots/${id}`)).body.typebot.groups
        .flatMap((group: { blocks: { type: string; options?: { typebotId?: string } }[] }) => group.blocks)
        .filter((block: { type: string }) => block.type === 'Typebot link')
        .map((block: { options?: { typebotId?: string } }) => block.options?.typebotId)
    expect(await linksOf(ids[0])).toEqual(['current', ids[1]])
    expect(await linksOf(ids[1])).toEqual([ids[2]])
    expect((await get(`/v1/typebots/${ids[2]}/publishedTypebot`)).status).toBe(200)

    const twoWithOneId = await cli.run([
      'typebot',
      'import',
      writeJson('pair.json', [second, third]),
      '--workspace',
      workspaceId,
      '--public-id',
      'x',
    ])
    expect(twoWithOneId.code).not.toBe(0)
    expect(twoWithOneId.stderr).toContain('--public-id needs exactly one typebot')
  })

  it('exits 5 for an unknown workspace', async () => {
    const run = await cli.run(['typebot', 'import', writeJson('lost.json', helloTypebot), '--workspace', 'nope'])
    expect(run.code).toBe(5)
  })
})
