import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { findImportViolations, layerOf, type SourceFile } from './import-rules.js'

/** The layers of docs/architecture.md hold: each imports only what its row allows. */
function productionSources(dir = 'src'): SourceFile[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return productionSources(path)
    if (!path.endsWith('.ts') || /\.test\.ts$|test-context\.ts$|test-driver\.ts$/.test(path)) return []
    return [{ path, source: readFileSync(path, 'utf8') }]
  })
}

describe('import rules', () => {
  it('hold for every source file of src/', () => {
    const sources = productionSources()
    expect(sources.length).toBeGreaterThan(150)
    expect(findImportViolations(sources)).toEqual([])
  })

  it('report an engine file that reaches for storage, node:fs or process', () => {
    const engineFile: SourceFile = {
      path: 'src/engine/blocks/logic/bad.ts',
      source: [
        "import type { Store } from '../../../storage/store.js'",
        "import { readFileSync } from 'node:fs'",
        "import { parseConfig } from '../../../config.js'",
        'export const home = process.env.HOME',
      ].join('\n'),
    }
    expect(findImportViolations([engineFile])).toEqual([
      "src/engine/blocks/logic/bad.ts imports '../../../storage/store.js': engine may not import storage/store",
      "src/engine/blocks/logic/bad.ts imports 'node:fs': engine may not use node: modules",
      "src/engine/blocks/logic/bad.ts imports '../../../config.js': engine may not import config",
      'src/engine/blocks/logic/bad.ts uses process: engine may not',
      'src/engine/blocks/logic/bad.ts reads process.env: only src/config.ts does (the CLI hands it over as io.env)',
    ])
  })

  it('tell type imports from value imports, and keep storage internals to storage', () => {
    const chatFile: SourceFile = {
      path: 'src/chat/x.ts',
      source:
        "import type { Config } from '../config.js'\nimport { parseConfig } from '../config.js'\nimport { KyselyStore } from '../storage/kysely-store.js'\n",
    }
    expect(findImportViolations([chatFile])).toEqual([
      "src/chat/x.ts imports '../config.js': chat may import only types from config (import type)",
      "src/chat/x.ts imports '../storage/kysely-store.js': chat may not import storage",
    ])
    expect(layerOf('src/web/chat/main.ts')).toBe('web/chat')
    expect(layerOf('src/storage/store.ts')).toBe('storage/store')
  })
})
