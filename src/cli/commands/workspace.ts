import type { WorkspaceRole } from '../../storage/store.js'
import { addWorkspaceMember } from '../../typebots/add-workspace-member.js'
import { type CliCommand, parseCommandArgs, readSubcommand, requireOption, UsageError } from '../cli-command.js'
import { withStore } from '../with-store.js'

const roles: readonly WorkspaceRole[] = ['ADMIN', 'MEMBER', 'GUEST']

export const workspaceCommand: CliCommand = {
  name: 'workspace',
  summary: 'Manage workspace members',
  usage: `
Usage: botflow workspace add-member --workspace <id> --email <email> --role ADMIN|MEMBER|GUEST

Gives a user a role in a workspace (replacing their previous role). A missing user is created.
ADMIN and MEMBER can edit and publish the workspace's typebots; GUEST can only read them.

Options:
  --workspace <id>   the workspace id (required)
  --email <email>    the user's email (required)
  --role <role>      ADMIN, MEMBER or GUEST (required)
`,
  async run(args, io) {
    const rest = readSubcommand(this, args, io, 'add-member')
    if (!rest) return 0
    const parsed = parseCommandArgs(this, rest, io, { workspace: { type: 'string' }, email: { type: 'string' }, role: { type: 'string' } })
    if (!parsed) return 0
    const workspaceId = requireOption(parsed.values.workspace, 'workspace')
    const email = requireOption(parsed.values.email, 'email')
    const role = roles.find((candidate) => candidate === requireOption(parsed.values.role, 'role').toUpperCase())
    if (!role) throw new UsageError(`Invalid --role '${parsed.values.role}' (expected ADMIN, MEMBER or GUEST)`)
    const member = await withStore(io.env, (store) => addWorkspaceMember(store, { workspaceId, email, role }))
    io.stdout(`${member.email} (${member.userId}) is now ${member.role} of workspace ${member.workspaceId}\n`)
    return 0
  },
}
