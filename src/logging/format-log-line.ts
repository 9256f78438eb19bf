import { isRecord } from '../json-record.js'

/**
 * Readable log lines for a terminal, from the JSON lines pino writes:
 * `17:03:12 INFO  GET /api/healthz 200 1.2 ms`, `17:03:15 ERROR unexpected error` + the stack.
 * Anything a line carries besides the usual fields is appended as `key=value`.
 */
const levelNames: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' }

/** Fields shown in the fixed part of the line, or left out as noise on a terminal. */
const consumedFields = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'req', 'res', 'responseTime', 'err', 'reqId'])

export function formatLogLine(jsonLine: string): string {
  let record: Record<string, unknown>
  try {
    const parsed: unknown = JSON.parse(jsonLine)
    if (!isRecord(parsed)) return jsonLine
    record = parsed
  } catch {
    return jsonLine
  }
  const parts = [clockTime(record.time), (levelNames[Number(record.level)] ?? String(record.level)).padEnd(5)]
  const request = requestSummary(record)
  if (request) parts.push(request)
  else if (typeof record.msg === 'string') parts.push(record.msg)
  for (const [key, value] of Object.entries(record)) {
    if (!consumedFields.has(key) && value !== undefined) parts.push(`${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
  }
  const stack = errorText(record.err)
  return `${parts.join(' ')}${stack ? `\n${indent(stack)}` : ''}\n`
}

/** `GET /path 200 1.2 ms` for the request log line; undefined for other lines. */
function requestSummary(record: Record<string, unknown>): string | undefined {
  const { req, res } = record
  if (!isRecord(req) || !isRecord(res)) return undefined
  const time = typeof record.responseTime === 'number' ? ` ${record.responseTime.toFixed(1)} ms` : ''
  const suffix = typeof record.msg === 'string' && record.msg !== 'request completed' ? ` (${record.msg})` : ''
  return `${String(req.method)} ${String(req.url)} ${String(res.statusCode)}${time}${suffix}`
}

function errorText(err: unknown): string | undefined {
  if (!isRecord(err)) return undefined
  if (typeof err.stack === 'string') return err.stack
  return typeof err.message === 'string' ? err.message : undefined
}

function clockTime(time: unknown): string {
  const date = new Date(typeof time === 'number' ? time : Date.now())
  return [date.getHours(), date.getMinutes(), date.getSeconds()].map((part) => String(part).padStart(2, '0')).join(':')
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line.trimStart()}`)
    .join('\n')
}
