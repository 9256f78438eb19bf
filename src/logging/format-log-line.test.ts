import { describe, expect, it } from 'vitest'
import { formatLogLine } from './format-log-line.js'

const at = new Date(2026, 0, 2, 9, 5, 7).getTime()

describe('formatLogLine', () => {
  it('shows a request as method, path, status and time on one line', () => {
    const line = JSON.stringify({
      level: 30,
      time: at,
      pid: 1,
      hostname: 'h',
      reqId: 'req-1',
      req: { method: 'POST', url: '/api/v1/typebots/demo/startChat' },
      res: { statusCode: 200 },
      responseTime: 3.25,
      msg: 'request completed',
    })
    expect(formatLogLine(line)).toBe('09:05:07 INFO  POST /api/v1/typebots/demo/startChat 200 3.3 ms\n')
  })

  it('shows other records as level and message, extra fields as key=value, and an error with its stack indented', () => {
    const line = JSON.stringify({
      level: 50,
      time: at,
      msg: 'unexpected error',
      sessionId: 's1',
      err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at run (x.ts:1:1)' },
    })
    expect(formatLogLine(line)).toBe('09:05:07 ERROR unexpected error sessionId=s1\n    Error: boom\n    at run (x.ts:1:1)\n')
  })

  it('passes through what is not a JSON object', () => {
    expect(formatLogLine('plain text\n')).toBe('plain text\n')
  })
})
