import { describe, expect, it } from 'vitest'
import { toTimeRange } from './time-filter.js'

const now = Date.parse('2024-03-31T01:30:00Z')

describe('toTimeRange', () => {
  it.each([
    ['today', 'UTC', { from: '2024-03-31T00:00:00.000Z' }],
    ['today', 'Europe/Paris', { from: '2024-03-30T23:00:00.000Z' }],
    ['today', 'America/New_York', { from: '2024-03-30T04:00:00.000Z' }],
    ['last7Days', 'Asia/Kolkata', { from: '2024-03-24T18:30:00.000Z' }],
    ['last30Days', 'UTC', { from: '2024-03-02T00:00:00.000Z' }],
    ['monthToDate', 'UTC', { from: '2024-03-01T00:00:00.000Z' }],
    ['lastMonth', 'Europe/Paris', { from: '2024-01-31T23:00:00.000Z', to: '2024-02-29T22:59:59.999Z' }],
    ['yearToDate', 'America/New_York', { from: '2024-01-01T05:00:00.000Z' }],
    ['allTime', undefined, {}],
  ] as const)('%s in %s', (filter, zone, expected) => {
    expect(toTimeRange(filter, zone, now)).toEqual(expected)
  })

  it('takes the day of the zone across a daylight-saving change', () => {
    // Paris moves to summer time on 2024-03-31 at 02:00: that day starts at 23:00 UTC the day before, the next at 22:00.
    expect(toTimeRange('today', 'Europe/Paris', Date.parse('2024-04-01T12:00:00Z'))).toEqual({ from: '2024-03-31T22:00:00.000Z' })
  })
})
