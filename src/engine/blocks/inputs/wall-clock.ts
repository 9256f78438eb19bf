/**
 * Dates of date and time answers are handled as wall-clock components (what the user wrote),
 * so the answer does not depend on the server's time zone (§6.2.6 step 2).
 */
import type { ParsedComponents } from 'chrono-node'
import { format } from 'date-fns'

type WallClock = { year: number; month: number; day: number; hour: number; minute: number; second: number; millisecond: number }

export function toWallClock(components: ParsedComponents): WallClock {
  return {
    year: components.get('year') ?? 1970,
    month: components.get('month') ?? 1,
    day: components.get('day') ?? 1,
    hour: components.get('hour') ?? 0,
    minute: components.get('minute') ?? 0,
    second: components.get('second') ?? 0,
    millisecond: components.get('millisecond') ?? 0,
  }
}

/** A comparable number: the wall clock read as if it were UTC. */
export function wallClockTime(clock: WallClock): number {
  return Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute, clock.second, clock.millisecond)
}

// JavaScript reads date-only ISO strings as UTC and everything else without an offset as local time.
const dateOnlyIsoPattern = /^[+-]?\d{4,6}(-\d{2}(-\d{2})?)?$/
const explicitOffsetPattern = /(Z|[+-]\d{2}:?\d{2})$/i

/** A `min`/`max` limit as `new Date(limit)` reads it, on the same wall-clock scale; undefined when invalid. */
export function limitWallClockTime(limit: string): number | undefined {
  const date = new Date(limit)
  const time = date.getTime()
  if (Number.isNaN(time)) return undefined
  if (dateOnlyIsoPattern.test(limit.trim()) || explicitOffsetPattern.test(limit.trim())) return time
  return time - date.getTimezoneOffset() * 60_000
}

const formatOptions = { useAdditionalDayOfYearTokens: true, useAdditionalWeekYearTokens: true }

/** Formats with date-fns tokens; a malformed pattern falls back to `fallbackPattern`. */
export function formatWallClock(clock: WallClock, pattern: string, fallbackPattern: string): string {
  // A local Date with the same components makes date-fns print exactly the wall clock.
  const local = new Date(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute, clock.second, clock.millisecond)
  try {
    return format(local, pattern, formatOptions)
  } catch {
    return format(local, fallbackPattern, formatOptions)
  }
}
