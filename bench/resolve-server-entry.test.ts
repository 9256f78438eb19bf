import { describe, expect, it } from 'vitest'
import { readStartNodeFlags } from './resolve-server-entry.js'

const packageJson = (start: string) => JSON.stringify({ scripts: { start } })

describe('readStartNodeFlags', () => {
  it('takes the node flags of the start script, so the bench runs the server as npm start does', () => {
    expect(readStartNodeFlags(packageJson('node --max-semi-space-size=16 --foo dist/cli/main.js serve'))).toEqual([
      '--max-semi-space-size=16',
      '--foo',
    ])
    expect(readStartNodeFlags(packageJson('node dist/cli/main.js serve'))).toEqual([])
  })

  it('refuses a start script it cannot read rather than bench another command', () => {
    expect(() => readStartNodeFlags(packageJson('tsx src/cli/main.ts serve'))).toThrow(/start script/)
    expect(() => readStartNodeFlags(packageJson('node other.js'))).toThrow(/start script/)
    expect(() => readStartNodeFlags('{}')).toThrow(/start script/)
  })
})
