import { parseConfig } from '../../config.js'
import { credentialTypeNames, isCredentialType } from '../../credentials/credential-types.js'
import { loadEncryptionKey } from '../../credentials/encryption-key.js'
import { createCredentials, listCredentials } from '../../credentials/manage-credentials.js'
import { openCredentials } from '../../credentials/resolve-credentials.js'
import { createSecretCipher, type SecretCipher } from '../../credentials/secret-cipher.js'
import type { Store } from '../../storage/store.js'
import { type CliCommand, type CliIo, parseCommandArgs, requireOption, UsageError } from '../cli-command.js'
import { withStore } from '../with-store.js'

export const credentialsCommand: CliCommand = {
  name: 'credentials',
  summary: 'Add and list workspace credentials (AI provider keys...)',
  usage: `
Usage: botflow credentials add --workspace <id> --type <type> --name <name> [--data <json>]
       botflow credentials list --workspace <id>

add    stores credentials in the workspace, their data encrypted, and prints their id alone on the
       last line. The data is the JSON of --data, or else read from stdin, so a key need not
       appear in the shell history: echo '{"apiKey":"sk-..."}' | botflow credentials add ...
list   prints the workspace's credentials (never their data) and whether this server's key opens them.

Types: ${credentialTypeNames.join(', ')}
  data of every AI provider: {"apiKey": "...", "baseUrl": "https://..." (optional)}

The key is ENCRYPTION_SECRET (required with PostgreSQL), or with SQLite the encryption.key file
next to the database, generated on first use.

Options:
  --workspace <id>   the workspace (required)
  --type <type>      the credentials type (add)
  --name <name>      a label, e.g. "Team key" (add)
  --data <json>      the secret data (add; default: stdin)
`,
  async run(args, io) {
    const [subcommand, ...rest] = args
    if (subcommand === undefined || subcommand === '--help' || subcommand === '-h') {
      if (subcommand === undefined) throw new UsageError('Missing subcommand: botflow credentials add|list')
      io.stdout(`${this.usage.trim()}\n`)
      return 0
    }
    if (subcommand === 'add') return addCredentials(this, rest, io)
    if (subcommand === 'list') return printCredentials(this, rest, io)
    throw new UsageError(`Unknown subcommand 'credentials ${subcommand}' (expected: credentials add or credentials list)`)
  },
}

async function addCredentials(command: CliCommand, args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs(command, args, io, {
    workspace: { type: 'string' },
    type: { type: 'string' },
    name: { type: 'string' },
    data: { type: 'string' },
  })
  if (!parsed) return 0
  const workspaceId = requireOption(parsed.values.workspace, 'workspace')
  const type = requireOption(parsed.values.type, 'type')
  if (!isCredentialType(type)) throw new UsageError(`Invalid --type '${type}' (expected one of ${credentialTypeNames.join(', ')})`)
  const name = requireOption(parsed.values.name, 'name').trim()
  const text = parsed.values.data ?? (await readStdin(io))
  const data = parseDataJson(text)
  const created = await withCipherAndStore(io, (store, cipher) =>
    createCredentials({ store, cipher }, undefined, { workspaceId, type, name, data }),
  )
  io.stderr(`Created ${created.type} credentials "${created.name}"\n`)
  io.stdout(`${created.id}\n`)
  return 0
}

async function printCredentials(command: CliCommand, args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs(command, args, io, { workspace: { type: 'string' } })
  if (!parsed) return 0
  const workspaceId = requireOption(parsed.values.workspace, 'workspace')
  const rows = await withCipherAndStore(io, async (store, cipher) => {
    const listed = await listCredentials({ store, cipher }, undefined, workspaceId)
    return Promise.all(
      listed.map(async (credentials) => {
        const opened = isCredentialType(credentials.type)
          ? await openCredentials(store.credentials, cipher, credentials.id, credentials.type)
          : undefined
        const status = opened?.status === 'open' ? 'ok' : 'cannot decrypt (not sealed with this ENCRYPTION_SECRET or key file)'
        return [credentials.id, credentials.type, credentials.name, credentials.createdAt, status]
      }),
    )
  })
  if (rows.length === 0) {
    io.stderr('No credentials in this workspace\n')
    return 0
  }
  io.stdout(`${['id', 'type', 'name', 'createdAt', 'status'].join('\t')}\n`)
  for (const row of rows) io.stdout(`${row.join('\t')}\n`)
  return 0
}

async function withCipherAndStore<T>(io: CliIo, action: (store: Store, cipher: SecretCipher) => Promise<T>): Promise<T> {
  const cipher = createSecretCipher(loadEncryptionKey(parseConfig(io.env)).key)
  return withStore(io.env, (store) => action(store, cipher))
}

async function readStdin(io: CliIo): Promise<string> {
  if (!io.readStdin) throw new UsageError('Missing --data (and no stdin to read it from)')
  const text = await io.readStdin()
  if (text.trim() === '') throw new UsageError('Missing data: give --data <json> or pipe the JSON to stdin')
  return text
}

function parseDataJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    // The text may be a secret: the message does not repeat it.
    throw new UsageError('The data is not valid JSON')
  }
}
