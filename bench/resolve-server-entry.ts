import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

export type ServerEntry = { args: string[]; notes: string[] }

/**
 * The node arguments that run `botflow serve` from the build, running `npm run build` first when
 * a source file is newer than it. Falls back to tsx (slower to start) only when nothing is built.
 */
export function resolveServerEntry(projectRoot: string, log: (line: string) => void): ServerEntry {
  const builtEntry = join(projectRoot, 'dist/cli/main.js')
  const notes: string[] = []
  if (!existsSync(builtEntry) || findNewestMtimeMs(join(projectRoot, 'src')) > statSync(builtEntry).mtimeMs) {
    log('Building (npm run build): dist is older than src...')
    const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' })
    if (build.status !== 0) {
      const output = `${build.stdout ?? ''}${build.stderr ?? ''}`.trim().split('\n').slice(0, 10).join('\n')
      log(`npm run build failed (tsc still emits what it can):\n${output}`)
      notes.push('`npm run build` reported type errors; the server ran from what tsc emitted anyway.')
    }
  }
  if (existsSync(builtEntry)) return { args: [builtEntry, 'serve'], notes }
  notes.push('No build in dist/: the server ran through tsx, so its cold start includes compiling TypeScript.')
  return { args: ['--import', 'tsx', join(projectRoot, 'src/cli/main.ts'), 'serve'], notes }
}

function findNewestMtimeMs(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) newest = Math.max(newest, findNewestMtimeMs(path))
    else if (!entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(path).mtimeMs)
  }
  return newest
}
