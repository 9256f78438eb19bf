import { readFile } from 'node:fs/promises'
import { AppError } from '../../errors.js'
import { findPublicIdProblem } from '../../schemas/public-id.js'
import { importTypebot } from '../../typebots/import-typebot.js'
import { publishTypebot } from '../../typebots/publish-typebot.js'
import { type CliCommand, parseCommandArgs, readSubcommand, requireOption, UsageError } from '../cli-command.js'
import { withStore } from '../with-store.js'

export const typebotCommand: CliCommand = {
  name: 'typebot',
  summary: 'Import typebots',
  usage: `
Usage: botflow typebot import <file.json> --workspace <id> [--public-id <id>] [--publish]

Imports a Typebot export (versions 3 to 6.1; older ones are migrated) as a new typebot of the
workspace and prints its id. Blocks botflow does not run are kept and listed on stderr.

Options:
  --workspace <id>    the workspace to import into (required)
  --public-id <id>    the public id to chat with it (letters, digits, "-" and "."; not api, not starting with ".")
  --publish           publish it right away
`,
  async run(args, io) {
    const rest = readSubcommand(this, args, io, 'import')
    if (!rest) return 0
    const parsed = parseCommandArgs(
      this,
      rest,
      io,
      { workspace: { type: 'string' }, 'public-id': { type: 'string' }, publish: { type: 'boolean' } },
      { min: 1, max: 1 },
    )
    if (!parsed) return 0
    const file = parsed.positionals[0]
    if (file === undefined) throw new UsageError('Missing argument')
    const workspaceId = requireOption(parsed.values.workspace, 'workspace')
    const publicId = parsed.values['public-id']
    const publicIdProblem = publicId === undefined ? undefined : findPublicIdProblem(publicId)
    if (publicIdProblem) throw new UsageError(`Invalid --public-id '${publicId}': ${publicIdProblem}`)
    const typebot = await readTypebotFile(file)
    const imported = await withStore(io.env, async (store) => {
      if (!(await store.findWorkspace(workspaceId))) throw new AppError('NOT_FOUND', `Workspace ${workspaceId} not found`)
      const saved = await importTypebot(store, { workspaceId, typebot, publicId })
      if (parsed.values.publish) await publishTypebot(store, saved.typebot)
      return saved
    })
    for (const warning of imported.warnings) io.stderr(`warning: ${warning}\n`)
    if (parsed.values.publish) io.stderr(`Published${publicId ? ` as ${publicId}` : ''}\n`)
    io.stdout(`${imported.typebot.id}\n`)
    return 0
  },
}

async function readTypebotFile(file: string): Promise<Record<string, unknown>> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    const reason = error instanceof Error && 'code' in error && error.code === 'ENOENT' ? 'no such file' : String(error)
    throw new UsageError(`Cannot read ${file}: ${reason}`)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new AppError('INVALID_REQUEST', `${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`)
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new AppError('INVALID_REQUEST', `${file} does not hold a typebot (expected a JSON object)`)
  return { ...json }
}
