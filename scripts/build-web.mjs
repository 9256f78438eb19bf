#!/usr/bin/env node
// Bundles the browser code of src/web (chat page, embed snippet, styles) into dist/web/assets/,
// which `src/http/routes/web.ts` serves under /_botflow/. Part of scripts/build.mjs; the browser
// tests run it alone to serve what the sources say.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const rootDir = fileURLToPath(new URL('..', import.meta.url))

const entryPoints = [
  { in: 'src/web/chat/main.ts', out: 'chat' },
  { in: 'src/web/styles/chat.css', out: 'chat' },
  { in: 'src/web/embed/main.ts', out: 'embed' },
]

/**
 * Builds every asset; files are replaced atomically so a server reading them never sees half a
 * file. Returns the files written and the source files they came from (relative to the root).
 */
export async function buildWebAssets(outDir = join(rootDir, 'dist/web/assets')) {
  const result = await build({
    absWorkingDir: rootDir,
    entryPoints,
    outdir: outDir,
    bundle: true,
    format: 'iife',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    minify: true,
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
    write: false,
  })
  mkdirSync(outDir, { recursive: true })
  for (const file of result.outputFiles) {
    mkdirSync(dirname(file.path), { recursive: true })
    const temporary = `${file.path}.${process.pid}.tmp`
    writeFileSync(temporary, file.contents)
    renameSync(temporary, file.path)
  }
  return { files: result.outputFiles.map((file) => relative(rootDir, file.path)), inputs: Object.keys(result.metafile.inputs) }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { files } = await buildWebAssets(process.argv[2])
  console.log(`web assets: ${files.filter((file) => !file.endsWith('.map')).join(', ')}`)
}
