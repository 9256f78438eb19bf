// Whether dist/ is older than what it was built from: `npm start` (prestart) and `npm run bench`
// rebuild only then. Plain JavaScript with no dependency, so the check costs a few stat calls.
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'

/** Written by scripts/build.mjs: the files the bundles were built from, and when the build started. */
export const buildInfoPath = 'dist/build-info.json'

/** Files that change a build without being bundled sources. */
const buildDefinitionFiles = ['package.json', 'package-lock.json', 'scripts/build.mjs', 'scripts/build-web.mjs']

/**
 * Why dist/ must be rebuilt, or undefined when it is up to date: missing outputs, a missing
 * record of the last build, or an input modified (or deleted) since that build started.
 */
export function findStaleReason(rootDir, outputs = ['dist/cli/main.js', 'dist/web/assets/chat.js']) {
  for (const output of outputs) if (!exists(join(rootDir, output))) return `${output} is missing`
  let info
  try {
    info = JSON.parse(readFileSync(join(rootDir, buildInfoPath), 'utf8'))
  } catch {
    return `${buildInfoPath} is missing`
  }
  if (!Array.isArray(info?.inputs) || typeof info.startedAtMs !== 'number') return `${buildInfoPath} is not readable`
  for (const input of [...info.inputs, ...buildDefinitionFiles]) {
    const mtimeMs = mtimeOf(join(rootDir, input))
    if (mtimeMs === undefined) {
      if (buildDefinitionFiles.includes(input)) continue
      return `${input} was removed`
    }
    if (mtimeMs > info.startedAtMs) return `${input} changed`
  }
  return undefined
}

function mtimeOf(path) {
  try {
    return statSync(path).mtimeMs
  } catch {
    return undefined
  }
}

function exists(path) {
  return mtimeOf(path) !== undefined
}
