import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { findStaleReason } from '../scripts/build-staleness.mjs'

export type ServerEntry = { args: string[]; notes: string[] }

const builtEntryPath = 'dist/cli/main.js'

/**
 * The node arguments that run `botflow serve` from the build, with the node flags of `npm start`
 * (so the bench measures what users run), rebuilding it first when a source changed since (as
 * `npm start` does). Falls back to tsx (slower to start) only when nothing is built.
 */
export function resolveServerEntry(projectRoot: string, log: (line: string) => void): ServerEntry {
  const builtEntry = join(projectRoot, builtEntryPath)
  const notes: string[] = []
  const staleReason = findStaleReason(projectRoot)
  if (staleReason) {
    log(`Building (scripts/build.mjs): ${staleReason}...`)
    const build = spawnSync(process.execPath, ['scripts/build.mjs'], {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
    })
    if (build.status !== 0) {
      const output = `${build.stdout ?? ''}${build.stderr ?? ''}`.trim().split('\n').slice(0, 10).join('\n')
      log(`The build failed:\n${output}`)
      notes.push('The build failed; the server ran from the previous build, or through tsx when there was none.')
    }
  }
  const nodeFlags = readStartNodeFlags(readFileSync(join(projectRoot, 'package.json'), 'utf8'))
  if (existsSync(builtEntry)) return { args: [...nodeFlags, builtEntry, 'serve'], notes }
  notes.push('No build in dist/: the server ran through tsx, so its cold start includes compiling TypeScript.')
  return { args: [...nodeFlags, '--import', 'tsx', join(projectRoot, 'src/cli/main.ts'), 'serve'], notes }
}

/** The flags between `node` and the entry in package.json's `start` script (`node <flags> dist/cli/main.js serve`). */
export function readStartNodeFlags(packageJsonText: string): string[] {
  const start: unknown = JSON.parse(packageJsonText)?.scripts?.start
  const words = typeof start === 'string' ? start.trim().split(/\s+/) : []
  const entryIndex = words.indexOf(builtEntryPath)
  if (words[0] !== 'node' || entryIndex < 0)
    throw new Error(`package.json's start script is not "node [flags] ${builtEntryPath} ...": ${start}`)
  return words.slice(1, entryIndex)
}
