import { describe, expect, it } from 'vitest'
import { type StartupInfo, startupBanner, startupRecord, toPublicUrl } from './startup-banner.js'

const info: StartupInfo = {
  url: 'http://localhost:3000',
  version: '1.2.3',
  database: { kind: 'sqlite', filename: './data/botflow.sqlite' },
  isDemoAvailable: true,
}

describe('startupBanner', () => {
  it('says once where botflow runs, where to click and where its data is', () => {
    expect(startupBanner(info)).toBe(
      [
        'botflow 1.2.3 is ready on http://localhost:3000',
        '  Demo chat:      http://localhost:3000/demo',
        '  API reference:  http://localhost:3000/api/docs',
        '  Database:       SQLite ./data/botflow.sqlite',
        '  API token:      npx botflow token create --email you@example.com --shell',
        '',
      ].join('\n'),
    )
  })

  it('leaves the demo out when there is none, shows the secret key location and never a database password', () => {
    const banner = startupBanner({
      ...info,
      url: 'https://bots.example.com',
      isDemoAvailable: false,
      database: { kind: 'postgres', connectionString: 'postgres://botflow:hunter2@db:5432/botflow' },
      secretKey: './data/encryption.key',
    })
    expect(banner).not.toContain('/demo')
    expect(banner).not.toContain('hunter2')
    expect(banner).toContain('Database:       PostgreSQL postgres://botflow:***@db:5432/botflow')
    expect(banner).toContain('Secret key:     ./data/encryption.key')
    expect(
      JSON.stringify(startupRecord({ ...info, database: { kind: 'postgres', connectionString: 'postgres://u:hunter2@db/x' } })),
    ).not.toContain('hunter2')
  })
})

describe('toPublicUrl', () => {
  it('shows a wildcard host as localhost, keeps a chosen host, and prefers PUBLIC_URL', () => {
    expect(toPublicUrl('http://127.0.0.1:3000', '0.0.0.0', undefined)).toBe('http://localhost:3000')
    expect(toPublicUrl('http://127.0.0.1:4000', '127.0.0.1', undefined)).toBe('http://127.0.0.1:4000')
    expect(toPublicUrl('http://127.0.0.1:3000', '0.0.0.0', 'https://chat.example.com')).toBe('https://chat.example.com')
  })
})
