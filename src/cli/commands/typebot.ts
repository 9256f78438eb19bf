import { readFile } from 'node:fs/promises'
import { AppError } from '../../errors.js'
import { isRecord } from '../../json-record.js'
import { findPublicIdProblem } from '../../schemas/public-id.js'
import { importTypebot, importTypebots } from '../../typebots/import-typebot.js'
import { publishTypebot } from '../../typebots/publish-typebot.js'
import { type CliCommand, parseCommandArgs, readSubcommand, requireOption, UsageError } from '../cli-command.js'
import { withStore } from '../with-store.js'

export const typebotCommand: CliCommand = {
  name: 'typebot',
  summary: 'Import typebots',
  usage: `
Usage: botflow typebot import <file.json> [<file.json> ...] --workspace <id> [--public-id <id>] [--publish]

Imports Typebot exports (versions 3 to 6.1; older ones are migrated) as new typebots of the
workspace and prints their ids, one per line, in the order given. A file may hold one typebot
or a list of them. Typebots imported together that link to each other keep their links: each
Typebot link to the id one of them had points at its new id. Blocks botflow does not run are
kept and listed on stderr.

Options:
  --workspace <id>    the workspace to import into (required)
  --public-id <id>    the public id to chat with it (letters, digits, "-" and "."; not api, not starting with "."; one typebot only)
  --publish           publish them right away
`,
  async run(args, io) {
    const rest = readSubcommand(this, args, io, 'import')
    if (!rest) return 0
    const parsed = parseCommandArgs(
      this,
      rest,
      io,
      { workspace: { type: 'string' }, 'public-id': { type: 'string' }, publish: { type: 'boolean' } },
      { min: 1, max: Number.POSITIVE_INFINITY },
    )
    if (!parsed) return 0
    const workspaceId = requireOption(parsed.values.workspace, 'workspace')
    const publicId = parsed.values['public-id']
    const publicIdProblem = publicId === undefined ? undefined : findPublicIdProblem(publicId)
    if (publicIdProblem) throw new UsageError(`Invalid --public-id '${publicId}': ${publicIdProblem}`)
    const typebots = (await Promise.all(parsed.positionals.map(readTypebotFile))).flat()
    const [single] = typebots
    if (publicId !== undefined && (typebots.length !== 1 || !single)) throw new UsageError('--public-id needs exactly one typebot')
    const imported = await withStore(io.env, async (store) => {
      if (!(await store.findWorkspace(workspaceId))) throw new AppError('NOT_FOUND', `Workspace ${workspaceId} not found`)
      const saved =
        single && typebots.length === 1
          ? [await importTypebot(store, { workspaceId, typebot: single, publicId })]
          : await importTypebots(store, { workspaceId, typebots })
      if (parsed.values.publish) for (const { typebot } of saved) await publishTypebot(store, typebot)
      return saved
    })
    for (const warning of imported.flatMap((saved) => saved.warnings)) io.stderr(`warning: ${warning}\n`)
    if (parsed.values.publish) io.stderr(`Published${publicId ? ` as ${publicId}` : ''}\n`)
    for (const saved of imported) io.stdout(`${saved.typebot.id}\n`)
    return 0
  },
}

/** The typebot a file holds, or the typebots of a file holding a list. */
async function readTypebotFile(file: string): Promise<Record<string, unknown>[]> {
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
  const items: unknown[] = Array.isArray(json) ? json : [json]
  return items.map((item) => {
    if (!isRecord(item)) throw new AppError('INVALID_REQUEST', `${file} does not hold a typebot (expected a JSON object or a list of them)`)
    return item
  })
}
