/**
 * Typebot's result time filters (`timeFilter` + `timeZone` of GET results and of the export):
 * calendar days, months and years are those of the caller's time zone. Computed with `Intl`, so
 * no time-zone database package is needed.
 */
import { AppError } from '../errors.js'
import type { TimeFilter } from '../schemas/management-api.js'

/** ISO bounds on `createdAt` (inclusive); none for allTime. */
export type TimeRange = { from?: string; to?: string }

export function toTimeRange(filter: TimeFilter, timeZone: string | undefined, now: number): TimeRange {
  const zone = timeZone ?? 'UTC'
  const today = wallClockDate(now, zone)
  const startOf = (year: number, month: number, day: number) => new Date(zonedMidnight(year, month, day, zone)).toISOString()
  switch (filter) {
    case 'today':
      return { from: startOf(today.year, today.month, today.day) }
    case 'last7Days':
      return { from: startOf(today.year, today.month, today.day - 6) }
    case 'last30Days':
      return { from: startOf(today.year, today.month, today.day - 29) }
    case 'monthToDate':
      return { from: startOf(today.year, today.month, 1) }
    case 'lastMonth':
      return {
        from: startOf(today.year, today.month - 1, 1),
        to: new Date(zonedMidnight(today.year, today.month, 1, zone) - 1).toISOString(),
      }
    case 'yearToDate':
      return { from: startOf(today.year, 0, 1) }
    case 'allTime':
      return {}
  }
}

/** Throws INVALID_REQUEST for a name `Intl` does not know. */
export function assertTimeZone(timeZone: string | undefined): void {
  if (timeZone === undefined) return
  try {
    new Intl.DateTimeFormat('en-US', { timeZone })
  } catch {
    throw new AppError('INVALID_REQUEST', 'Invalid time zone', [{ message: `Unknown time zone "${timeZone}"`, path: ['timeZone'] }])
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    formatters.set(timeZone, formatter)
  }
  return formatter
}

type WallClock = { year: number; month: number; day: number; hour: number; minute: number; second: number }

/** The calendar date and time an instant shows in the zone; `month` from 0, as `Date.UTC` takes it. */
function wallClockDate(instant: number, timeZone: string): WallClock {
  const parts: Record<string, number> = {}
  for (const part of formatterFor(timeZone).formatToParts(new Date(instant))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value)
  }
  return {
    year: parts.year ?? 1970,
    month: (parts.month ?? 1) - 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  }
}

/** How far the zone's wall clock is ahead of UTC at that instant. */
function offsetAt(instant: number, timeZone: string): number {
  const wall = wallClockDate(instant, timeZone)
  return Date.UTC(wall.year, wall.month, wall.day, wall.hour, wall.minute, wall.second) - Math.floor(instant / 1000) * 1000
}

/** The instant of 00:00 of that calendar day in the zone (days and months may overflow, as in `Date.UTC`). */
function zonedMidnight(year: number, month: number, day: number, timeZone: string): number {
  const asUtc = Date.UTC(year, month, day)
  // The offset at the guess, then at the corrected instant: right across a daylight-saving change.
  const first = asUtc - offsetAt(asUtc, timeZone)
  return asUtc - offsetAt(first, timeZone)
}
