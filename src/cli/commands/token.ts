import { createUserWithToken, type UserWithToken } from '../../typebots/create-user-with-token.js'
import { type CliCommand, parseCommandArgs, readSubcommand, requireOption, UsageError } from '../cli-command.js'
import { withStore } from '../with-store.js'

export const tokenCommand: CliCommand = {
  name: 'token',
  summary: 'Create API tokens',
  usage: `
Usage: botflow token create --email <email> [--name <label>] [--json | --shell]

Creates an API token for the user with this email. A missing user is created, with a
workspace named after them where they are ADMIN. The token is shown only this once: it is
printed alone on the last line, or

  --json    as one JSON object with the token, the user and the workspace
  --shell   as TOKEN='...' and WORKSPACE_ID='...' lines for the shell:
            eval "$(npx botflow token create --email you@example.com --shell)"

Options:
  --email <email>   the user's email (required)
  --name <label>    a label for the token (default: CLI)
`,
  async run(args, io) {
    const rest = readSubcommand(this, args, io, 'create')
    if (!rest) return 0
    const parsed = parseCommandArgs(this, rest, io, {
      email: { type: 'string' },
      name: { type: 'string' },
      json: { type: 'boolean' },
      shell: { type: 'boolean' },
    })
    if (!parsed) return 0
    const email = requireOption(parsed.values.email, 'email')
    const label = parsed.values.name
    if (label !== undefined && label.trim() === '') throw new UsageError('--name cannot be empty')
    if (parsed.values.json && parsed.values.shell) throw new UsageError('Choose one of --json and --shell')
    const created = await withStore(io.env, (store) => createUserWithToken(store, { email, tokenName: label }))
    if (parsed.values.json) {
      io.stdout(`${JSON.stringify(toJsonOutput(created))}\n`)
    } else if (parsed.values.shell) {
      io.stdout(`TOKEN=${shellQuote(created.apiToken.token)}\nWORKSPACE_ID=${shellQuote(created.workspace.id)}\n`)
    } else {
      io.stdout(`User: ${created.user.email} (${created.user.id})\n`)
      io.stdout(`Workspace: ${created.workspace.name} (${created.workspace.id})${created.isNewWorkspace ? ', created' : ''}\n`)
      io.stdout(`API token "${created.apiToken.name}" (shown only once):\n`)
      io.stdout(`${created.apiToken.token}\n`)
    }
    return 0
  },
}

function toJsonOutput(created: UserWithToken) {
  return {
    token: created.apiToken.token,
    tokenId: created.apiToken.id,
    tokenName: created.apiToken.name,
    userId: created.user.id,
    email: created.user.email,
    workspaceId: created.workspace.id,
    workspaceName: created.workspace.name,
    isNewWorkspace: created.isNewWorkspace,
  }
}

/** A single-quoted shell word: safe to eval whatever the value holds. */
function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`
}
