#!/usr/bin/env node
import { realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { ConfigError } from '../config.js'
import { AppError, type ErrorCode } from '../errors.js'
import { type CliCommand, type CliIo, UsageError } from './cli-command.js'
import { credentialsCommand } from './commands/credentials.js'
import { migrateCommand } from './commands/migrate.js'
import { serveCommand } from './commands/serve.js'
import { tokenCommand } from './commands/token.js'
import { typebotCommand } from './commands/typebot.js'
import { workspaceCommand } from './commands/workspace.js'

export type { CliIo }

const commands: readonly CliCommand[] = [serveCommand, migrateCommand, tokenCommand, workspaceCommand, typebotCommand, credentialsCommand]

/** Exit codes beyond 0 (success) and 1 (unexpected error); the compiler wants every error code. */
const usageExitCode = 2
const configExitCode = 3
const exitCodes: Record<ErrorCode, number> = {
  INVALID_REQUEST: 4,
  PAYLOAD_TOO_LARGE: 4,
  NOT_FOUND: 5,
  SESSION_NOT_FOUND: 5,
  SESSION_EXPIRED: 5,
  CONFLICT: 6,
  UNAUTHENTICATED: 7,
  FORBIDDEN: 7,
  TIMEOUT: 1,
  UNAVAILABLE: 1,
  TOO_MANY_REQUESTS: 1,
  INTERNAL: 1,
}

const usage = `
Usage: botflow <command> [options]

Commands:
${commands.map((command) => `  ${command.name.padEnd(12)} ${command.summary}`).join('\n')}

Run \`botflow <command> --help\` for a command's options. The database is the one of
DATABASE_URL (unset: SQLite in ./data/botflow.sqlite; file:/path.sqlite; postgres://...).

Exit codes: 0 success, 1 unexpected error, ${usageExitCode} wrong arguments, ${configExitCode} invalid environment,
${exitCodes.INVALID_REQUEST} invalid input, ${exitCodes.NOT_FOUND} not found, ${exitCodes.CONFLICT} conflict (e.g. public id taken).
`

/** The whole CLI: argv in, exit code out. Output goes through `io` only, so tests call it directly. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout(`${usage.trim()}\n`)
    return 0
  }
  try {
    if (name === undefined) throw new UsageError('Missing command')
    const command = commands.find((candidate) => candidate.name === name)
    if (!command) throw new UsageError(`Unknown command '${name}'`)
    return await command.run(args, io)
  } catch (error) {
    return reportError(error, io)
  }
}

function reportError(error: unknown, io: CliIo): number {
  if (error instanceof UsageError) {
    io.stderr(`botflow: ${error.message} (see botflow --help)\n`)
    return usageExitCode
  }
  if (error instanceof ConfigError) {
    io.stderr(`botflow: ${error.message}\n`)
    return configExitCode
  }
  if (error instanceof AppError) {
    io.stderr(`botflow: ${error.message}\n`)
    for (const issue of error.issues ?? []) io.stderr(`  ${issue.path?.join('.') ?? ''}: ${issue.message}\n`)
    return exitCodes[error.code]
  }
  io.stderr(`botflow: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
  return 1
}

/** True when this file is the process's entry point (also through npm's bin symlink). */
function isEntryFile(): boolean {
  const entry = process.argv[1]
  if (!entry) return false
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url))
  } catch {
    return false
  }
}

if (isEntryFile()) {
  const io: CliIo = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    isTerminal: process.stdout.isTTY === true,
    // A terminal is not data: only a pipe or a file is read.
    readStdin: process.stdin.isTTY ? undefined : () => readAll(process.stdin),
  }
  void runCli(process.argv.slice(2), io).then((code) => {
    process.exitCode = code
  })
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = ''
  for await (const chunk of stream) text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')
  return text
}
