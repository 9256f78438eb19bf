/**
 * The import rules of docs/architecture.md as data, and a checker over source text. A layer is
 * a folder of src/ (web/ counts as three: chat and embed run in browsers, pages on the server)
 * or a file at its root; two files of storage/ are layers of their own because other layers may
 * import them and nothing else of storage/, and the engine's Markdown reader is one because the
 * chat page runs it too.
 */
import { dirname, relative, resolve } from 'node:path'

type Rule = {
  /** Layers this one may import values from (itself included when listed). */
  imports: readonly string[]
  /** Layers it may import types from only (`import type`). */
  typeImports?: readonly string[]
  /** npm packages it may import; '*' for any. */
  packages: readonly string[] | '*'
  /** Whether `node:*` modules are allowed. */
  node: boolean
  /** Whether the global `process` may be used. */
  process?: boolean
}

const anything = ['*']

export const importRules: Record<string, Rule> = {
  engine: {
    imports: ['engine', 'engine/markdown', 'schemas', 'errors', 'json-record'],
    packages: ['zod', 'chrono-node', 'date-fns', 'libphonenumber-js', 'ipaddr.js'],
    node: false,
    process: false,
  },
  schemas: {
    imports: ['schemas', 'credentials', 'errors', 'json-record'],
    typeImports: ['engine'],
    packages: ['zod'],
    node: false,
    process: false,
  },
  effects: {
    imports: ['effects', 'credentials', 'errors', 'json-record'],
    typeImports: ['engine', 'storage', 'metrics'],
    packages: [
      'quickjs-emscripten',
      'ipaddr.js',
      'nodemailer',
      'stripe',
      'ai',
      '@ai-sdk/openai',
      '@ai-sdk/openai-compatible',
      '@ai-sdk/anthropic',
      '@ai-sdk/mistral',
    ],
    node: true,
  },
  credentials: {
    imports: ['credentials', 'storage/store', 'access', 'config', 'errors', 'ids'],
    typeImports: ['storage'],
    packages: ['zod'],
    node: true,
  },
  uploads: {
    imports: ['uploads', 'engine', 'schemas', 'storage/store', 'errors', 'json-record'],
    typeImports: ['config'],
    packages: ['@aws-sdk/client-s3', '@aws-sdk/s3-presigned-post', '@aws-sdk/s3-request-presigner'],
    node: true,
  },
  storage: {
    imports: ['storage', 'storage/store', 'storage/create-store', 'errors', 'ids'],
    typeImports: ['engine', 'config'],
    packages: ['kysely', 'better-sqlite3', 'pg'],
    node: true,
  },
  'storage/store': { imports: ['storage'], typeImports: ['engine'], packages: [], node: false },
  'storage/create-store': {
    imports: ['storage', 'storage/store'],
    typeImports: ['config'],
    packages: ['kysely', 'better-sqlite3', 'pg'],
    node: true,
  },
  chat: {
    imports: [
      'chat',
      'engine',
      'effects',
      'uploads',
      'webhooks',
      'storage/store',
      'schemas',
      'metrics',
      'access',
      'auth',
      'errors',
      'ids',
      'json-record',
    ],
    typeImports: ['config', 'credentials'],
    packages: [],
    node: true,
  },
  typebots: {
    imports: ['typebots', 'uploads', 'webhooks', 'storage/store', 'schemas', 'access', 'auth', 'errors', 'ids', 'json-record'],
    packages: ['zod'],
    node: false,
  },
  http: {
    imports: [
      'http',
      'chat',
      'typebots',
      'uploads',
      'credentials',
      'results',
      'webhooks',
      'schemas',
      'storage/store',
      'web/pages',
      'logging',
      'access',
      'auth',
      'errors',
      'ids',
      'json-record',
    ],
    typeImports: ['config', 'engine'],
    packages: '*',
    node: true,
  },
  results: {
    imports: ['results', 'engine', 'schemas', 'storage/store', 'errors', 'json-record'],
    packages: [],
    node: true,
  },
  webhooks: {
    imports: ['webhooks', 'effects', 'storage/store', 'schemas', 'access', 'errors', 'ids', 'json-record'],
    typeImports: ['credentials'],
    packages: [],
    node: true,
  },
  'engine/markdown': { imports: ['engine/markdown'], typeImports: ['engine'], packages: [], node: false, process: false },
  'web/chat': { imports: ['web/chat', 'engine/markdown'], packages: [], node: false, process: false },
  'web/embed': { imports: ['web/embed'], packages: [], node: false, process: false },
  'web/pages': { imports: ['web/pages'], packages: [], node: true },
  logging: { imports: ['logging', 'json-record'], typeImports: ['config'], packages: ['fastify'], node: false },
  metrics: { imports: ['metrics'], packages: ['prom-client'], node: true },
  maintenance: { imports: ['maintenance'], typeImports: ['metrics', 'storage/store'], packages: [], node: true, process: false },
  demo: { imports: ['demo', 'typebots', 'storage/store', 'ids'], typeImports: ['config'], packages: [], node: false },
  cli: { imports: anything, packages: '*', node: true, process: true },
  server: { imports: anything, packages: '*', node: true },
  config: { imports: [], packages: ['zod'], node: false },
  errors: { imports: [], packages: [], node: false },
  ids: { imports: [], packages: [], node: true },
  'json-record': { imports: [], packages: [], node: false },
  auth: { imports: ['errors', 'storage/store'], packages: [], node: true },
  access: { imports: ['errors', 'storage/store'], packages: [], node: false },
}

/** Only these read the environment: config.ts parses it, cli/main.ts hands it over as `io.env`. */
const environmentReaders = new Set(['src/config.ts', 'src/cli/main.ts'])

export type SourceFile = { path: string; source: string }

/** The layer of a file of src/, or the repository path of anything outside it. */
export function layerOf(path: string): string {
  const [first, second] = path.split('/').slice(1)
  if (path.split('/')[0] !== 'src' || !first) return path
  if (second === undefined) return first.replace(/\.ts$/, '')
  if (first === 'web') return `web/${second}`
  if (first === 'engine' && (second === 'markdown' || second === 'markdown-to-rich-text.ts')) return 'engine/markdown'
  if (first === 'storage' && (second === 'store.ts' || second === 'create-store.ts')) return `storage/${second.replace(/\.ts$/, '')}`
  return first
}

export function findImportViolations(files: SourceFile[]): string[] {
  const violations: string[] = []
  for (const file of files) {
    const layer = layerOf(file.path)
    const rule = importRules[layer]
    if (!rule) {
      violations.push(
        `${file.path}: layer "${layer}" has no rule in test/architecture/import-rules.ts (add it to docs/architecture.md too)`,
      )
      continue
    }
    for (const found of importsOf(file.source)) {
      const problem = checkImport(file.path, layer, rule, found)
      if (problem) violations.push(`${file.path} imports '${found.specifier}': ${problem}`)
    }
    const code = withoutComments(file.source)
    if (rule.process === false && /\bprocess\s*\./.test(code)) violations.push(`${file.path} uses process: ${layer} may not`)
    if (/\bprocess\.env\b/.test(code) && !environmentReaders.has(file.path)) {
      violations.push(`${file.path} reads process.env: only src/config.ts does (the CLI hands it over as io.env)`)
    }
  }
  return violations
}

type FoundImport = { specifier: string; isTypeOnly: boolean }

function checkImport(path: string, layer: string, rule: Rule, found: FoundImport): string | undefined {
  const { specifier } = found
  if (specifier.startsWith('node:')) return rule.node ? undefined : `${layer} may not use node: modules`
  if (!specifier.startsWith('.')) {
    if (rule.packages === '*') return undefined
    const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : (specifier.split('/')[0] ?? specifier)
    return rule.packages.includes(name) ? undefined : `${layer} may not import the package ${name}`
  }
  const target = layerOf(relative(process.cwd(), resolve(dirname(resolve(path)), specifier)).replace(/\.js$/, '.ts'))
  if (rule.imports.includes('*') || rule.imports.includes(target)) return undefined
  if (found.isTypeOnly && rule.typeImports?.includes(target)) return undefined
  if (rule.typeImports?.includes(target)) return `${layer} may import only types from ${target} (import type)`
  return `${layer} may not import ${target}`
}

/** Static imports and re-exports (with whether they are type-only), and dynamic imports. */
function importsOf(source: string): FoundImport[] {
  const code = withoutComments(source)
  const found: FoundImport[] = []
  for (const match of code.matchAll(/(?:^|[;\n])\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/g)) {
    if (match[2]) found.push({ specifier: match[2], isTypeOnly: match[1] !== undefined })
  }
  for (const match of code.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    if (match[1]) found.push({ specifier: match[1], isTypeOnly: false })
  }
  return found
}

function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '')
}
