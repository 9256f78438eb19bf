import { describe, expect, it } from 'vitest'
import { ConfigError, parseConfig } from './config.js'

describe('parseConfig', () => {
  it('picks the log format from the terminal by default, or as set', () => {
    expect(parseConfig({}).logFormat).toBe('auto')
    expect(parseConfig({ LOG_FORMAT: 'json' }).logFormat).toBe('json')
    expect(() => parseConfig({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT/)
  })

  it('takes PUBLIC_URL as an origin, and refuses one with a path, a query or credentials', () => {
    expect(parseConfig({}).publicUrl).toBeUndefined()
    expect(parseConfig({ PUBLIC_URL: 'https://chat.example.com/' }).publicUrl).toBe('https://chat.example.com')
    expect(parseConfig({ PUBLIC_URL: 'http://10.0.0.5:8080' }).publicUrl).toBe('http://10.0.0.5:8080')
    for (const url of [
      'https://example.com/bots',
      'https://example.com/?a=1',
      'https://user:pw@example.com',
      'ftp://example.com',
      'chat.example.com',
    ]) {
      expect(() => parseConfig({ PUBLIC_URL: url }), url).toThrow(ConfigError)
    }
    expect(() => parseConfig({ PUBLIC_URL: 'https://example.com/bots' })).toThrow(/PUBLIC_URL: must be an http\(s\) origin/)
  })
})

describe('parseConfig: limits at the HTTP edge', () => {
  it('has safe defaults: proxies not trusted, rate limits on', () => {
    const config = parseConfig({})
    expect(config.http).toEqual({
      chatBodyLimit: 1_048_576,
      requestTimeoutMs: 60_000,
      keepAliveTimeoutMs: 72_000,
      shutdownTimeoutMs: 10_000,
      trustProxy: false,
    })
    expect(config.rateLimit).toEqual({
      isEnabled: true,
      syncIntervalMs: 1_000,
      perMinute: { newSessionsPerIp: 120, repliesPerIp: 1_200, repliesPerSession: 60, clientLogsPerIp: 60, uploadsPerIp: 30 },
    })
  })

  it.each([
    ['true', true],
    ['false', false],
    ['10.0.0.0/8, 127.0.0.1', ['10.0.0.0/8', '127.0.0.1']],
    ['loopback,fd00::/8', ['loopback', 'fd00::/8']],
  ])('reads TRUST_PROXY=%s', (value, expected) => {
    expect(parseConfig({ TRUST_PROXY: value }).http.trustProxy).toEqual(expected)
  })

  it.each(['2', 'my-proxy', '10.0.0.0/99'])('refuses TRUST_PROXY=%s (no hop counts, no host names)', (value) => {
    expect(() => parseConfig({ TRUST_PROXY: value })).toThrow(ConfigError)
    expect(() => parseConfig({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY/)
  })

  it('turns rate limits off with RATE_LIMIT=off and refuses a limit of 0', () => {
    expect(parseConfig({ RATE_LIMIT: 'off' }).rateLimit.isEnabled).toBe(false)
    expect(() => parseConfig({ RATE_LIMIT_REPLIES_PER_SESSION: '0' })).toThrow(/RATE_LIMIT_REPLIES_PER_SESSION/)
  })
})
