import { type ParseArgsConfig, parseArgs } from 'node:util'

/** What a command may touch: output, the environment, and (for `serve`) a shutdown signal. */
export type CliIo = {
  stdout: (text: string) => void
  stderr: (text: string) => void
  env: Record<string, string | undefined>
  /** stdout is a terminal: `serve` then logs readable lines instead of JSON (LOG_FORMAT=auto). */
  isTerminal?: boolean
  /** Aborted to stop `serve`; SIGTERM/SIGINT of the process when absent. */
  shutdownSignal?: AbortSignal
  /** The whole of stdin (secrets piped to `credentials add`); absent when there is none to read. */
  readStdin?: () => Promise<string>
}

export type CliCommand = {
  name: string
  summary: string
  usage: string
  run(args: string[], io: CliIo): Promise<number>
}

/** A wrong or missing argument: `cli/main.ts` prints its one-line message and exits with 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

type OptionsConfig = NonNullable<ParseArgsConfig['options']>

/**
 * `parseArgs` in strict mode; its own errors become UsageErrors. Returns undefined when
 * `--help` was asked for (and printed).
 */
export function parseCommandArgs<const Options extends OptionsConfig>(
  command: Pick<CliCommand, 'usage'>,
  args: string[],
  io: CliIo,
  options: Options,
  positionals: { min: number; max: number } = { min: 0, max: 0 },
) {
  const endOfOptions = args.indexOf('--')
  if ((endOfOptions === -1 ? args : args.slice(0, endOfOptions)).some((arg) => arg === '--help' || arg === '-h')) {
    io.stdout(`${command.usage.trim()}\n`)
    return undefined
  }
  const parsed = parseStrictly(args, options)
  if (parsed.positionals.length > positionals.max) throw new UsageError(`Unexpected argument '${parsed.positionals[positionals.max]}'`)
  if (parsed.positionals.length < positionals.min) throw new UsageError('Missing argument')
  return parsed
}

function parseStrictly<const Options extends OptionsConfig>(args: string[], options: Options) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true })
  } catch (error) {
    // Node's messages go on with advice about '--' that does not fit one line.
    throw new UsageError((error instanceof Error ? error.message : String(error)).split('. ')[0] ?? '')
  }
}

/** The arguments after `<subcommand>` for a command that has one; undefined when help was printed. */
export function readSubcommand(
  command: Pick<CliCommand, 'name' | 'usage'>,
  args: string[],
  io: CliIo,
  expected: string,
): string[] | undefined {
  const [subcommand, ...rest] = args
  if (subcommand === '--help' || subcommand === '-h') {
    io.stdout(`${command.usage.trim()}\n`)
    return undefined
  }
  if (subcommand === undefined) throw new UsageError(`Missing subcommand: botflow ${command.name} ${expected}`)
  if (subcommand !== expected)
    throw new UsageError(`Unknown subcommand '${command.name} ${subcommand}' (expected: ${command.name} ${expected})`)
  return rest
}

/** The value of a required string option, or a UsageError naming it. */
export function requireOption(value: string | boolean | undefined, name: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`Missing required option --${name}`)
  return value
}
