import { describe, expect, it } from 'vitest'
import { runCliCaptured } from '../helpers/run-cli.js'

// No database is opened for any of these: arguments are checked first.
const env = { DATABASE_URL: 'file:/nonexistent-dir/never-created.sqlite' }

describe('botflow usage', () => {
  it.each([
    [['--help']],
    [['serve', '--help']],
    [['migrate', '--help']],
    [['token', '--help']],
    [['token', 'create', '--help']],
    [['workspace', 'add-member', '--help']],
    [['typebot', 'import', '--help']],
  ])('prints help for %j and exits 0', async (argv) => {
    const run = await runCliCaptured(argv, env)
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^Usage: botflow/)
    expect(run.stderr).toBe('')
  })

  it.each([
    [[], 'Missing command'],
    [['frobnicate'], "Unknown command 'frobnicate'"],
    [['token'], 'Missing subcommand'],
    [['token', 'delete'], "Unknown subcommand 'token delete'"],
    [['token', 'create'], 'Missing required option --email'],
    [['token', 'create', '--email'], "Option '--email <value>' argument missing"],
    [['token', 'create', '--email', 'a@b.co', '--bogus'], "Unknown option '--bogus'"],
    [['token', 'create', '--email', 'a@b.co', 'extra'], "Unexpected argument 'extra'"],
    [['workspace', 'add-member', '--workspace', 'w', '--email', 'a@b.co'], 'Missing required option --role'],
    [['workspace', 'add-member', '--workspace', 'w', '--email', 'a@b.co', '--role', 'OWNER'], "Invalid --role 'OWNER'"],
    [['typebot', 'import', '--workspace', 'w'], 'Missing argument'],
    [['typebot', 'import', 'bot.json'], 'Missing required option --workspace'],
    [['typebot', 'import', 'bot.json', '--workspace', 'w', '--public-id', 'no spaces'], "Invalid --public-id 'no spaces'"],
    [['typebot', 'import', '/nonexistent/bot.json', '--workspace', 'w'], 'Cannot read /nonexistent/bot.json: no such file'],
  ])('refuses %j with exit code 2 and a one-line reason', async (argv, reason) => {
    const run = await runCliCaptured(argv, env)
    expect(run.code).toBe(2)
    expect(run.stdout).toBe('')
    expect(run.stderr).toContain(reason)
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1)
  })

  it('exits 3 with the problem for an invalid environment', async () => {
    const run = await runCliCaptured(['migrate'], { DATABASE_URL: 'mysql://nope' })
    expect(run.code).toBe(3)
    expect(run.stderr).toContain('DATABASE_URL')
  })
})
