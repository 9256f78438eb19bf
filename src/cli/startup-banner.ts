import type { DatabaseConfig } from '../config.js'
import type { EncryptionKeySource } from '../credentials/encryption-key.js'
import { redactUrlPassword } from '../logging/redact-secrets.js'

/** What `botflow serve` tells on start, once, in a terminal banner or one JSON log record. */
export type StartupInfo = {
  /** Where users reach this server: PUBLIC_URL, else the listening address. */
  url: string
  version: string
  database: DatabaseConfig
  isDemoAvailable: boolean
  /** Where the key that encrypts stored secrets lives (a file path, or the variable that holds it). */
  secretKey?: string
  /** Server processes sharing the port, when more than one. */
  workers?: number
}

/** The banner a terminal shows: the address, where to click, where the data and the key are. */
export function startupBanner(info: StartupInfo): string {
  const rows: [string, string][] = []
  if (info.isDemoAvailable) rows.push(['Demo chat', `${info.url}/demo`])
  rows.push(['API reference', `${info.url}/api/docs`])
  rows.push(['Database', describeDatabase(info.database)])
  if (info.secretKey) rows.push(['Secret key', info.secretKey])
  if (info.workers && info.workers > 1) rows.push(['Workers', String(info.workers)])
  rows.push(['API token', 'npx botflow token create --email you@example.com --shell'])
  const width = Math.max(...rows.map(([label]) => label.length)) + 2
  return `${[`botflow ${info.version} is ready on ${info.url}`, ...rows.map(([label, value]) => `  ${`${label}:`.padEnd(width)} ${value}`)].join('\n')}\n`
}

/** The same facts as one structured log record (JSON logs), secrets left out. */
export function startupRecord(info: StartupInfo): Record<string, unknown> {
  return {
    url: info.url,
    version: info.version,
    database: describeDatabase(info.database),
    ...(info.isDemoAvailable ? { demoUrl: `${info.url}/demo` } : {}),
    docsUrl: `${info.url}/api/docs`,
    ...(info.secretKey ? { secretKey: info.secretKey } : {}),
    ...(info.workers && info.workers > 1 ? { workers: info.workers } : {}),
  }
}

/**
 * The URL to show for a listening address: PUBLIC_URL when set; a wildcard host (0.0.0.0, ::)
 * becomes localhost, which a browser on this machine can open; any other host is kept.
 */
export function toPublicUrl(listeningAddress: string, host: string, publicUrl: string | undefined): string {
  if (publicUrl) return publicUrl
  const url = new URL(listeningAddress)
  if (['0.0.0.0', '::', '[::]'].includes(host)) url.hostname = 'localhost'
  return url.origin
}

function describeDatabase(database: DatabaseConfig): string {
  return database.kind === 'sqlite' ? `SQLite ${database.filename}` : `PostgreSQL ${redactUrlPassword(database.connectionString)}`
}

/** Where the key that seals credentials lives: losing a generated key file makes them unreadable. */
export function describeKeySource(source: EncryptionKeySource): string | undefined {
  if (source.kind === 'environment') return 'ENCRYPTION_SECRET'
  if (source.kind === 'memory') return undefined
  return `${source.path} (${source.isNew ? 'generated now; ' : ''}keep it with the database)`
}
