import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { findStaleReason } from '../../scripts/build-staleness.mjs'

/** What `npm start` rebuilds before serving: decided from file times, so `npm start` stays fast. */
const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

const builtAt = Date.parse('2026-01-01T12:00:00Z')

function write(root: string, path: string, atMs: number) {
  const file = join(root, path)
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, path)
  utimesSync(file, atMs / 1000, atMs / 1000)
}

/** A tree as scripts/build.mjs leaves it: sources older than the build, outputs and the build record. */
function builtTree(): string {
  const root = mkdtempSync(join(tmpdir(), 'botflow-build-'))
  dirs.push(root)
  for (const source of ['src/cli/main.ts', 'src/engine/walk-flow.ts', 'package.json', 'package-lock.json']) {
    write(root, source, builtAt - 60_000)
  }
  for (const output of ['dist/cli/main.js', 'dist/web/assets/chat.js']) write(root, output, builtAt + 2_000)
  mkdirSync(join(root, 'dist'), { recursive: true })
  writeFileSync(
    join(root, 'dist/build-info.json'),
    JSON.stringify({ startedAtMs: builtAt, inputs: ['src/cli/main.ts', 'src/engine/walk-flow.ts'] }),
  )
  return root
}

describe('findStaleReason', () => {
  it('finds nothing to do when no input changed since the build started', () => {
    expect(findStaleReason(builtTree())).toBeUndefined()
  })

  it('names a source edited after the build started', () => {
    const root = builtTree()
    write(root, 'src/engine/walk-flow.ts', builtAt + 1_000)
    expect(findStaleReason(root)).toBe('src/engine/walk-flow.ts changed')
  })

  it('rebuilds after an install changed the lock file, or when a source was removed', () => {
    const installed = builtTree()
    write(installed, 'package-lock.json', builtAt + 1)
    expect(findStaleReason(installed)).toBe('package-lock.json changed')
    const removed = builtTree()
    rmSync(join(removed, 'src/engine/walk-flow.ts'))
    expect(findStaleReason(removed)).toBe('src/engine/walk-flow.ts was removed')
  })

  it('rebuilds when an output or the build record is missing (a fresh clone, an older build)', () => {
    const withoutBundle = builtTree()
    rmSync(join(withoutBundle, 'dist/cli/main.js'))
    expect(findStaleReason(withoutBundle)).toBe('dist/cli/main.js is missing')
    const withoutRecord = builtTree()
    rmSync(join(withoutRecord, 'dist/build-info.json'))
    expect(findStaleReason(withoutRecord)).toBe('dist/build-info.json is missing')
  })
})
