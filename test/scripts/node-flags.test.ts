import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readStartNodeFlags } from '../../bench/resolve-server-entry.js'

const projectRoot = join(import.meta.dirname, '../..')
const read = (path: string) => readFileSync(join(projectRoot, path), 'utf8')

/**
 * Node 22+ sizes V8's young generation from the machine's memory (64 MB semi-spaces on the 24 GB bench machine),
 * and under sustained load its new space grew by ~96 MB that a collection never gave back: every way we
 * start the server caps it at Node 20's 16 MB (BENCHMARKS.md, memory with stored sessions).
 */
describe('node flags of the server', () => {
  it('npm start caps the semi-space at 16 MB', () => {
    expect(readStartNodeFlags(read('package.json'))).toContain('--max-semi-space-size=16')
  })

  it("the Docker image's command runs the server with the flags of npm start", () => {
    const command = /^CMD (\[.*\])$/m.exec(read('Dockerfile'))?.[1]
    expect(command).toBeDefined()
    expect(JSON.parse(command ?? '[]')).toEqual(['node', ...readStartNodeFlags(read('package.json')), 'dist/cli/main.js', 'serve'])
  })
})
