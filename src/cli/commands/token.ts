import { createUserWithToken } from '../../typebots/create-user-with-token.js'
import { type CliCommand, parseCommandArgs, readSubcommand, requireOption, UsageError } from '../cli-command.js'
import { withStore } from '../with-store.js'

export const tokenCommand: CliCommand = {
  name: 'token',
  summary: 'Create API tokens',
  usage: `
Usage: botflow token create --email <email> [--name <label>]

Creates an API token for the user with this email. A missing user is created, with a
workspace named after them where they are ADMIN. The token is printed alone on the last
line: it is shown only this once.

Options:
  --email <email>   the user's email (required)
  --name <label>    a label for the token (default: CLI)
`,
  async run(args, io) {
    const rest = readSubcommand(this, args, io, 'create')
    if (!rest) return 0
    const parsed = parseCommandArgs(this, rest, io, { email: { type: 'string' }, name: { type: 'string' } })
    if (!parsed) return 0
    const email = requireOption(parsed.values.email, 'email')
    const label = parsed.values.name
    if (label !== undefined && label.trim() === '') throw new UsageError('--name cannot be empty')
    const created = await withStore(io.env, (store) => createUserWithToken(store, { email, tokenName: label }))
    io.stdout(`User: ${created.user.email} (${created.user.id})\n`)
    io.stdout(`Workspace: ${created.workspace.name} (${created.workspace.id})${created.isNewWorkspace ? ', created' : ''}\n`)
    io.stdout(`API token "${created.apiToken.name}" (shown only once):\n`)
    io.stdout(`${created.apiToken.token}\n`)
    return 0
  },
}
