import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { findStaleReason } from '../scripts/build-staleness.mjs'

export type ServerEntry = { args: string[]; notes: string[] }

/**
 * The node arguments that run `botflow serve` from the build, rebuilding it first when a source
 * changed since (as `npm start` does). Falls back to tsx (slower to start) only when nothing is built.
 */
export function resolveServerEntry(projectRoot: string, log: (line: string) => void): ServerEntry {
  const builtEntry = join(projectRoot, 'dist/cli/main.js')
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
  if (existsSync(builtEntry)) return { args: [builtEntry, 'serve'], notes }
  notes.push('No build in dist/: the server ran through tsx, so its cold start includes compiling TypeScript.')
  return { args: ['--import', 'tsx', join(projectRoot, 'src/cli/main.ts'), 'serve'], notes }
}
