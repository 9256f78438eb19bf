import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { createApiClient } from '../helpers/api-client.js'
import { useServedDatabase } from '../helpers/run-cli.js'

/** The README's quick start, command by command, against a served database. */
const cli = useServedDatabase()
const exampleFile = fileURLToPath(new URL('../../examples/hello-bot.json', import.meta.url))

/** What `eval "$(botflow token create ... --shell)"` sets: strictly NAME='value' lines. */
function parseShellAssignments(stdout: string): Record<string, string> {
  return Object.fromEntries(
    stdout
      .trimEnd()
      .split('\n')
      .map((line) => {
        const match = /^([A-Z_]+)='([^']*)'$/.exec(line)
        if (!match?.[1] || match[2] === undefined) throw new Error(`not a shell assignment: ${line}`)
        return [match[1], match[2]]
      }),
  )
}

const texts = (body: any): string[] =>
  body.messages.map((message: any) =>
    message.content.richText.flatMap((paragraph: any) => paragraph.children.map((leaf: any) => leaf.text)).join(''),
  )

describe('the quick start', () => {
  it('token create --shell, then import and publish examples/hello-bot.json, then chat with it', async () => {
    const created = await cli.run(['token', 'create', '--email', 'you@example.com', '--shell'])
    expect(created.code).toBe(0)
    const { TOKEN, WORKSPACE_ID, ...others } = parseShellAssignments(created.stdout)
    expect(others).toEqual({})
    expect(TOKEN).toMatch(/^bf_/)

    const imported = await cli.run([
      'typebot',
      'import',
      exampleFile,
      '--workspace',
      WORKSPACE_ID ?? '',
      '--public-id',
      'hello',
      '--publish',
    ])
    expect(imported.code).toBe(0)
    expect(imported.stderr).toBe('Published as hello\n')
    const typebotId = imported.stdout.trim()

    const api = createApiClient(cli.url, TOKEN)
    expect((await api('GET', `/v1/typebots/${typebotId}`)).status).toBe(200)
    const start = await api('POST', '/v1/typebots/hello/startChat', { body: {} })
    expect(texts(start.body)).toEqual(['Hello! I am a bot served by botflow.', 'What is your name?'])
    const sessionPath = `/v1/sessions/${start.body.sessionId}/continueChat`
    const named = await api('POST', sessionPath, { body: { message: 'Ada' } })
    expect(texts(named.body)).toEqual(['Nice to meet you, Ada. How is your day going?'])
    expect(named.body.input.type).toBe('choice input')
    const mood = await api('POST', sessionPath, { body: { message: 'Could be better' } })
    expect(mood.body.input.type).toBe('rating input')
    const rated = await api('POST', sessionPath, { body: { message: '4' } })
    expect(texts(rated.body)).toEqual(['Thanks, Ada. You said 4 out of 5.'])
    expect(rated.body.input).toBeUndefined()
  })

  it('token create --json tells the token, the user and the workspace in one object', async () => {
    const created = await cli.run(['token', 'create', '--email', 'json@example.com', '--name', 'ci', '--json'])
    expect(created.code).toBe(0)
    const output = JSON.parse(created.stdout)
    expect(output).toEqual({
      token: expect.stringMatching(/^bf_/),
      tokenId: expect.any(String),
      tokenName: 'ci',
      userId: expect.any(String),
      email: 'json@example.com',
      workspaceId: expect.any(String),
      workspaceName: "json's workspace",
      isNewWorkspace: true,
    })
    const workspaces = await cli.get('/v1/workspaces', output.token)
    expect(workspaces.body.workspaces.map((workspace: { id: string }) => workspace.id)).toEqual([output.workspaceId])
  })

  it('refuses --json and --shell together', async () => {
    const run = await cli.run(['token', 'create', '--email', 'both@example.com', '--json', '--shell'])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('Choose one of --json and --shell')
  })
})
