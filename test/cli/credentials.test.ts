import { describe, expect, it } from 'vitest'
import { lastLine, runCliCaptured, useServedDatabase } from '../helpers/run-cli.js'

const cli = useServedDatabase()
const key = 'sk-cli-0123456789abcdef0123456789abcdef'

async function ownerWorkspace(email: string) {
  const token = lastLine((await cli.run(['token', 'create', '--email', email])).stdout)
  const workspaceId: string = (await cli.get('/v1/workspaces', token)).body.workspaces[0].id
  return { token, workspaceId }
}

describe('botflow credentials', () => {
  it('adds credentials from --data or stdin, prints the id last, and the API lists them', async () => {
    const { token, workspaceId } = await ownerWorkspace('keys@example.com')
    const fromOption = await cli.run([
      'credentials',
      'add',
      '--workspace',
      workspaceId,
      '--type',
      'openai',
      '--name',
      'From option',
      '--data',
      JSON.stringify({ apiKey: key }),
    ])
    expect(fromOption.code, fromOption.stderr).toBe(0)
    const fromStdin = await cli.run(['credentials', 'add', '--workspace', workspaceId, '--type', 'anthropic', '--name', 'From stdin'], {
      stdin: `${JSON.stringify({ apiKey: key })}\n`,
    })
    expect(fromStdin.code, fromStdin.stderr).toBe(0)
    for (const run of [fromOption, fromStdin]) {
      expect(lastLine(run.stdout)).toMatch(/^c[a-z0-9]{24}$/)
      expect(run.stdout + run.stderr).not.toContain(key)
    }

    const listed = await cli.get(`/v1/workspaces/${workspaceId}/credentials`, token)
    expect(listed.body.credentials.map((credentials: { id: string }) => credentials.id).sort()).toEqual(
      [lastLine(fromOption.stdout), lastLine(fromStdin.stdout)].sort(),
    )

    const list = await cli.run(['credentials', 'list', '--workspace', workspaceId])
    expect(list.code).toBe(0)
    expect(list.stdout).toContain('From stdin')
    expect(list.stdout).toMatch(new RegExp(`${lastLine(fromOption.stdout)}\\topenai\\tFrom option\\t\\S+\\tok`))
    expect(list.stdout).not.toContain(key)
  })

  it('tells which credentials another key cannot open', async () => {
    const { workspaceId } = await ownerWorkspace('rotated@example.com')
    await cli.run(['credentials', 'add', '--workspace', workspaceId, '--type', 'groq', '--name', 'Sealed', '--data', `{"apiKey":"${key}"}`])
    const list = await cli.run(['credentials', 'list', '--workspace', workspaceId], {
      env: { ENCRYPTION_SECRET: 'another-secret-that-is-long-enough-0123456789' },
    })
    expect(list.code).toBe(0)
    expect(list.stdout).toMatch(/\tgroq\tSealed\t\S+\tcannot decrypt/)
  })

  it('refuses bad input with a reason and no secret in it', async () => {
    const { workspaceId } = await ownerWorkspace('bad@example.com')
    const base = ['credentials', 'add', '--workspace', workspaceId, '--name', 'Bad']
    const notJson = await cli.run([...base, '--type', 'openai', '--data', `not json ${key}`])
    expect(notJson.code).toBe(2)
    expect(notJson.stderr).toContain('not valid JSON')
    expect(notJson.stderr).not.toContain(key)
    const unknownType = await cli.run([...base, '--type', 'gemini', '--data', '{}'])
    expect(unknownType.code).toBe(2)
    expect(unknownType.stderr).toContain("Invalid --type 'gemini'")
    const invalid = await cli.run([...base, '--type', 'openai', '--data', '{"apiKey":""}'])
    expect(invalid.code).toBe(4)
    expect(invalid.stderr).toContain('data.apiKey')
    const noData = await cli.run([...base, '--type', 'openai'])
    expect(noData.code).toBe(2)
    const unknownWorkspace = await cli.run([
      'credentials',
      'add',
      '--workspace',
      'nope',
      '--type',
      'openai',
      '--name',
      'x',
      '--data',
      '{"apiKey":"k"}',
    ])
    expect(unknownWorkspace.code).toBe(5)
  })
})

describe('ENCRYPTION_SECRET with PostgreSQL', () => {
  it('stops botflow serve before it connects, saying what to set', async () => {
    const run = await runCliCaptured(['serve'], {
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
    })
    expect(run.code).toBe(3)
    expect(run.stderr).toContain('ENCRYPTION_SECRET is required with PostgreSQL')
  })
})
