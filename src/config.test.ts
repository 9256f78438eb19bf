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
