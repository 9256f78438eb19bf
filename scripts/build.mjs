#!/usr/bin/env node
// Builds dist/: the server and CLI bundled into dist/cli/main.js (the `botflow` bin) and the chat
// page's assets into dist/web/assets/. Run by `npm install` (prepare) and `npm run build`. With
// `--if-stale` (npm's prestart) it does nothing unless a source changed since the last build, so
// `npm start` serves in about a second. Type-checking is `npm run typecheck` (and `npm test`).
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildInfoPath, findStaleReason } from './build-staleness.mjs'

const rootDir = fileURLToPath(new URL('..', import.meta.url))
const distDir = join(rootDir, 'dist')

if (process.argv.includes('--if-stale')) {
  const reason = findStaleReason(rootDir)
  if (reason === undefined) process.exit(0)
  process.stderr.write(`botflow: ${reason} since the last build; rebuilding dist/\n`)
}
const startedAtMs = Date.now()
let esbuild
try {
  esbuild = await import('esbuild')
} catch {
  // Installed without devDependencies: keep whatever dist/ holds.
  process.stderr.write('botflow: esbuild is not installed (devDependencies omitted?); dist/ was not rebuilt\n')
  process.exit(0)
}
const { buildWebAssets } = await import('./build-web.mjs')

const [server, web] = await Promise.all([
  esbuild.build({
    absWorkingDir: rootDir,
    // The sandbox's worker thread has its own entry; the pool finds it next to main.js.
    entryPoints: { main: 'src/cli/main.ts', 'sandbox-worker': 'src/effects/sandbox-worker.ts' },
    outdir: 'dist/cli',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
    write: false,
    // Loading a few hundred small modules (zod, kysely, date-fns, chrono-node...) dominated the
    // cold start; one file loads in a fraction of that. Packages that read files next to
    // themselves at run time stay external: a native addon, WebAssembly, static assets. So do the
    // large clients botflow imports on first use only (S3, SMTP, Stripe, the AI SDK): the cold start skips them.
    external: [
      'better-sqlite3',
      'pg-native',
      'quickjs-emscripten',
      '@jitl/*',
      '@fastify/swagger-ui',
      '@fastify/static',
      '@aws-sdk/*',
      'nodemailer',
      'stripe',
      'ai',
      '@ai-sdk/*',
    ],
    // Bundled CommonJS modules call require() for Node built-ins; give them one in the ESM bundle.
    banner: {
      js: "import { createRequire as __botflowCreateRequire } from 'node:module'; const require = __botflowCreateRequire(import.meta.url);",
    },
  }),
  buildWebAssets(join(distDir, 'web/assets')),
])
const written = [...writeAtomically(server.outputFiles), ...web.files]
const inputs = [...Object.keys(server.metafile.inputs), ...web.inputs].filter((input) => !input.startsWith('node_modules/'))
mkdirSync(distDir, { recursive: true })
writeFileSync(join(rootDir, buildInfoPath), `${JSON.stringify({ startedAtMs, inputs: [...new Set(inputs)].sort() }, null, 1)}\n`)
pruneOtherFiles(distDir, new Set([...written, buildInfoPath].map((file) => join(rootDir, file))))
process.stderr.write(`botflow: built dist/ in ${((Date.now() - startedAtMs) / 1000).toFixed(1)} s\n`)

/** Replaces each file by a rename, so a server starting meanwhile never reads half a bundle. */
function writeAtomically(outputFiles) {
  return outputFiles.map((file) => {
    mkdirSync(dirname(file.path), { recursive: true })
    const temporary = `${file.path}.${process.pid}.tmp`
    writeFileSync(temporary, file.contents)
    renameSync(temporary, file.path)
    return relative(rootDir, file.path)
  })
}

/** Removes what an older build left in dist/ (such as the per-file output of tsc). */
function pruneOtherFiles(dir, keep) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) {
      pruneOtherFiles(path, keep)
      if (readdirSync(path).length === 0) rmSync(path, { recursive: true })
    } else if (!keep.has(path)) {
      rmSync(path)
    }
  }
}
