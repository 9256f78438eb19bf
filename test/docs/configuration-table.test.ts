import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { environmentKeys } from '../../src/config.js'

/**
 * The README's configuration table and src/config.ts name the same settings: a setting added to
 * the schema without a row (or a row left after a setting went) fails here.
 */
function keysOfReadmeTable(): string[] {
  const readme = readFileSync('README.md', 'utf8')
  const section = readme.slice(readme.indexOf('\n## Configuration\n'))
  const table = section.slice(0, section.indexOf('\n\n', section.indexOf('| variable |')))
  return table
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) => {
      const firstCell = line.split('|')[1] ?? ''
      return [...firstCell.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((match) => match[1] ?? '')
    })
}

describe('README configuration table', () => {
  it('lists every environment variable of src/config.ts, and nothing else, once', () => {
    const documented = keysOfReadmeTable()
    expect(documented.length).toBeGreaterThan(10)
    expect(new Set(documented).size).toBe(documented.length)
    expect([...documented].sort()).toEqual([...environmentKeys].sort())
  })
})
