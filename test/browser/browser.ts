import { execFileSync } from 'node:child_process'
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type BrowserContext, chromium, type Locator, type Page } from 'playwright-core'
import { describe, expect } from 'vitest'

const chromiumNames = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome']

/**
 * The Chromium the browser tests drive: `CHROMIUM_PATH` when set (CI sets it, so a missing
 * browser fails there instead of skipping), else the first of `chromiumNames` on `PATH`.
 */
export const chromiumPath = findChromium(process.env)

export function findChromium(env: Record<string, string | undefined>): string | undefined {
  if (env.CHROMIUM_PATH) return env.CHROMIUM_PATH
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of chromiumNames) {
      if (isExecutableFile(join(dir, name))) return join(dir, name)
    }
  }
  return undefined
}

const skipNote = `skipped: no Chromium on PATH (${chromiumNames.join(', ')}); install one or set CHROMIUM_PATH`
if (!chromiumPath) console.warn(`Browser tests ${skipNote}.`)

/** `describe` for a browser suite: skipped, with a title that says why, when there is no Chromium. */
export const describeInBrowser = (title: string, suite: () => void) =>
  chromiumPath ? describe(title, suite) : describe.skip(`${title} (${skipNote})`, suite)
export const artifactsDir = fileURLToPath(new URL('../../test-artifacts/', import.meta.url))
const repoDir = fileURLToPath(new URL('../../', import.meta.url))

const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // A fake microphone that needs no permission prompt (voice clips of text inputs).
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
]

/** A stand-in for every picture on the internet: the tests never leave this machine. */
const placeholderSvg =
  '<svg xmlns="http://www.w3.org/2000/svg" width="320" height="200" viewBox="0 0 320 200"><rect width="320" height="200" fill="#c7d2fe"/><circle cx="110" cy="80" r="28" fill="#818cf8"/><path d="M0 200 L120 110 L200 170 L250 130 L320 190 L320 200 Z" fill="#6366f1"/></svg>'

export type Browser = { context: BrowserContext; close(): Promise<void> }

/**
 * Debian's Chromium with a fresh profile. Requests to other hosts than this machine never go
 * out: images get a local placeholder, anything else is aborted.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!chromiumPath || !isExecutableFile(chromiumPath))
    throw new Error(
      `Chromium is missing at CHROMIUM_PATH=${chromiumPath}: the browser tests need it. Install it (\`apt-get install -y chromium\`; .ci/run does) or point CHROMIUM_PATH at it.`,
    )
  const userDataDir = mkdtempSync(join(tmpdir(), 'botflow-chromium-'))
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
    viewport: { width: 1200, height: 860 },
  })
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url())
    if (url.hostname === '127.0.0.1' || url.hostname === 'localhost') return route.continue()
    if (route.request().resourceType() === 'image')
      return route.fulfill({ status: 200, contentType: 'image/svg+xml', body: placeholderSvg })
    return route.abort()
  })
  return {
    context,
    async close() {
      await context.close()
      rmSync(userDataDir, { recursive: true, force: true })
    },
  }
}

export type WatchedPage = {
  page: Page
  /** Console errors and uncaught exceptions of the page. */
  errors: string[]
  /** Messages of alert/confirm/prompt dialogs (dismissed at once). */
  dialogs: string[]
  /** `METHOD /path` of every request the page made to `origin`'s /api. */
  apiCalls: string[]
}

export async function openWatchedPage(
  context: BrowserContext,
  origin: string,
  viewport?: { width: number; height: number },
): Promise<WatchedPage> {
  const page = await context.newPage()
  if (viewport) await page.setViewportSize(viewport)
  const watched: WatchedPage = { page, errors: [], dialogs: [], apiCalls: [] }
  page.on('console', (message) => {
    if (message.type() === 'error') watched.errors.push(message.text())
  })
  page.on('pageerror', (error) => watched.errors.push(error.message))
  page.on('dialog', (dialog) => {
    watched.dialogs.push(dialog.message())
    void dialog.dismiss()
  })
  page.on('request', (request) => {
    const url = new URL(request.url())
    if (url.origin === origin && url.pathname.startsWith('/api/')) watched.apiCalls.push(`${request.method()} ${url.pathname}`)
  })
  return watched
}

/** Builds the page bundles as `npm run build` does, so the tests run what the sources say. */
export function buildWebAssets() {
  execFileSync(process.execPath, ['scripts/build-web.mjs'], { cwd: repoDir, stdio: 'pipe' })
}

export function artifactPath(name: string): string {
  mkdirSync(artifactsDir, { recursive: true })
  return join(artifactsDir, name)
}

/** `METHOD /path` calls that match no operation of the OpenAPI document. */
export function findUndocumentedCalls(calls: string[], openapi: { paths: Record<string, Record<string, unknown>> }): string[] {
  const operations = Object.entries(openapi.paths).flatMap(([path, methods]) =>
    Object.keys(methods).map((method) => ({
      method: method.toUpperCase(),
      pattern: new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`),
    })),
  )
  return calls.filter((call) => {
    const [method, path] = call.split(' ')
    return !operations.some((operation) => operation.method === method && operation.pattern.test(path!))
  })
}

/** vitest's `expect.poll` with a timeout fit for a page that types its bubbles. */
export function eventually<T>(read: () => Promise<T> | T) {
  return expect.poll(read, { timeout: 10_000, interval: 50 })
}

export function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => element === document.activeElement)
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return statSync(path).isFile()
  } catch {
    return false
  }
}
