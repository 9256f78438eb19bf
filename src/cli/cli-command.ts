import { parseArgs, type ParseArgsConfig } from 'node:util'

/** What a command may touch: output, the environment, and (for `serve`) a shutdown signal. */
export type CliIo = {
  stdout: (text: string) => void
  stderr: (text: string) => void
  env: Record<string, string | undefined>
  /** Aborted to stop `serve`; SIGTERM/SIGINT of the process when absent. */
  shutdownSignal?: AbortSignal
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
 * `parseArgs` in strict mode with `--help` added; its own errors become UsageErrors. Returns
 * undefined when help was asked for (and printed).
 */
export function parseCommandArgs<const Options extends OptionsConfig>(
  command: Pick<CliCommand, 'usage'>,
  args: string[],
  io: CliIo,
  options: Options,
  positionals: { min: number; max: number } = { min: 0, max: 0 },
) {
  let parsed
  try {
    parsed = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true })
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error))
  }
  if (parsed.values.help) {
    io.stdout(`${command.usage.trim()}\n`)
    return undefined
  }
  if (parsed.positionals.length > positionals.max) throw new UsageError(`Unexpected argument '${parsed.positionals[positionals.max]}'`)
  if (parsed.positionals.length < positionals.min) throw new UsageError('Missing argument (see --help)')
  return parsed
}

/** The value of a required string option, or a UsageError naming it. */
export function requireOption(value: string | boolean | undefined, name: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`Missing required option --${name}`)
  return value
}
