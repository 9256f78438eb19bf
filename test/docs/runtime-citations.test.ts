import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

/**
 * "§4.2" in code, tests, benchmarks and docs means a section of docs/runtime.md: every section
 * cited must be a heading there, and every appendix cited too.
 */
const runtimeDoc = readFileSync('docs/runtime.md', 'utf8')

const sectionHeadings = new Set([...runtimeDoc.matchAll(/^#{2,4} (\d+(?:\.\d+)*)[. ]/gm)].map((match) => match[1]))
const appendixHeadings = new Set([...runtimeDoc.matchAll(/^## Appendix ([A-Z])\./gm)].map((match) => match[1]))

function filesUnder(dir: string, extensions: string[]): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return entry.name === 'fixtures' || entry.name === 'node_modules' ? [] : filesUnder(path, extensions)
    return extensions.some((extension) => path.endsWith(extension)) ? [path] : []
  })
}

type Citation = { place: string; reference: string }

function citationsIn(paths: string[]): Citation[] {
  return paths.flatMap((path) =>
    readFileSync(path, 'utf8')
      .split('\n')
      .flatMap((line, index) => [
        ...[...line.matchAll(/§\s?(\d+(?:\.\d+)*)/g)].map((match) => ({ place: `${path}:${index + 1}`, reference: `§${match[1]}` })),
        ...[...line.matchAll(/\bAppendix ([A-Z])\b/g)].map((match) => ({
          place: `${path}:${index + 1}`,
          reference: `Appendix ${match[1]}`,
        })),
      ]),
  )
}

const citingFiles = [
  ...['src', 'test', 'bench'].flatMap((dir) => filesUnder(dir, ['.ts', '.mjs'])),
  ...filesUnder('docs', ['.md']).filter((path) => path !== join('docs', 'runtime.md')),
  'README.md',
]

describe('docs/runtime.md', () => {
  it('has a heading for every section the code, the tests and the docs cite', () => {
    const citations = citationsIn(citingFiles)
    expect(citations.length).toBeGreaterThan(150)
    const unknown = citations.filter(({ reference }) =>
      reference.startsWith('§') ? !sectionHeadings.has(reference.slice(1)) : !appendixHeadings.has(reference.slice('Appendix '.length)),
    )
    expect(unknown.map(({ place, reference }) => `${place} cites ${reference}, which docs/runtime.md does not have`)).toEqual([])
  })

  it('cites only its own sections', () => {
    const selfCitations = citationsIn(['docs/runtime.md']).filter(
      ({ reference }) => reference.startsWith('§') && !sectionHeadings.has(reference.slice(1)),
    )
    expect(selfCitations).toEqual([])
  })
})
