import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export type WebAsset = { body: Buffer; contentType: string; version: string }

export type WebAssets = {
  /** The built file, or undefined when it is missing (the build did not run). */
  find(name: string): WebAsset | undefined
  /** `/_botflow/<name>?v=<content hash>`, so browsers may cache it for good. */
  urlOf(name: string): string
}

export const webAssetsPrefix = '/_botflow'

const assetNames = ['chat.js', 'chat.css', 'embed.js', 'chat.js.map', 'chat.css.map', 'embed.js.map'] as const

const contentTypes: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  map: 'application/json; charset=utf-8',
}

// dist/cli/main.js (the server bundle) -> dist/web/assets; src/web/pages -> <repo>/dist/web/assets
// under tsx and vitest.
const candidateDirs = [new URL('../web/assets/', import.meta.url), new URL('../../../dist/web/assets/', import.meta.url)].map((url) =>
  fileURLToPath(url),
)

/**
 * The bundles `scripts/build-web.mjs` wrote. Read once they exist, then kept in memory; until
 * then every lookup tries again, so a build after start-up is picked up.
 */
export function createWebAssets(dir?: string): WebAssets {
  let loaded: Map<string, WebAsset> | undefined

  function load(): Map<string, WebAsset> | undefined {
    if (loaded) return loaded
    const found = dir ?? candidateDirs.find((candidate) => existsSync(`${candidate}/chat.js`))
    if (!found || !existsSync(`${found}/chat.js`)) return undefined
    const assets = new Map<string, WebAsset>()
    for (const name of assetNames) {
      const path = `${found}/${name}`
      if (!existsSync(path)) continue
      const body = readFileSync(path)
      const extension = name.slice(name.lastIndexOf('.') + 1)
      assets.set(name, {
        body,
        contentType: contentTypes[extension] ?? 'application/octet-stream',
        version: createHash('sha256').update(body).digest('hex').slice(0, 12),
      })
    }
    loaded = assets
    return assets
  }

  return {
    find: (name) => load()?.get(name),
    urlOf(name) {
      const asset = load()?.get(name)
      return `${webAssetsPrefix}/${name}${asset ? `?v=${asset.version}` : ''}`
    },
  }
}
