#!/usr/bin/env node
// Bundles the server and CLI into one file (dist/cli/main.js, the `botflow` bin). Loading a few
// hundred small modules (zod, kysely, date-fns, chrono-node...) dominated the cold start; one file
// loads in a fraction of that. Packages that read files next to themselves at run time stay external.
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const rootDir = fileURLToPath(new URL('..', import.meta.url))

await build({
  absWorkingDir: rootDir,
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/cli/main.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  // Native addon, WebAssembly files, and static assets served from the package folder.
  external: ['better-sqlite3', 'pg-native', 'quickjs-emscripten', '@jitl/*', '@fastify/swagger-ui', '@fastify/static'],
  // Bundled CommonJS modules call require() for Node built-ins; give them one in the ESM bundle.
  banner: {
    js: "import { createRequire as __botflowCreateRequire } from 'node:module'; const require = __botflowCreateRequire(import.meta.url);",
  },
})
