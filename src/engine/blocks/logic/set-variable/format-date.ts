/**
 * `yyyy-MM-dd'T'HH:mm:ssXXX` of an instant in an IANA time zone, with Intl only. An unknown
 * zone falls back to the ISO UTC string.
 */
export function formatInTimeZone(timestamp: number, timeZone: string | undefined): string {
  const date = new Date(timestamp)
  if (!timeZone) return date.toISOString()
  let parts: Intl.DateTimeFormatPart[]
  try {
    parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    }).formatToParts(date)
  } catch {
    return date.toISOString()
  }
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((candidate) => candidate.type === type)?.value ?? 0)
  const wallClock = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'))
  const offsetMinutes = Math.round((wallClock - Math.floor(timestamp / 1000) * 1000) / 60_000)
  const pad = (value: number, length = 2) => String(value).padStart(length, '0')
  const offset =
    offsetMinutes === 0
      ? 'Z'
      : `${offsetMinutes > 0 ? '+' : '-'}${pad(Math.floor(Math.abs(offsetMinutes) / 60))}:${pad(Math.abs(offsetMinutes) % 60)}`
  return `${pad(part('year'), 4)}-${pad(part('month'))}-${pad(part('day'))}T${pad(part('hour'))}:${pad(part('minute'))}:${pad(part('second'))}${offset}`
}
