import { afterEach, describe, expect, it } from 'vitest'
import type { DateInputBlock, TimeInputBlock } from '../../../schemas/blocks/inputs.js'
import type { ParsedReply } from '../../block-handler.js'
import { inputHandlers } from './index.js'
import { createTestContext, run } from './test-context.js'

const fail: ParsedReply = { status: 'fail' }
const success = (content: string): ParsedReply => ({ status: 'success', content })
const dateBlock = (options?: DateInputBlock['options']): DateInputBlock => ({ id: 'd', type: 'date input', options })
const timeBlock = (options?: TimeInputBlock['options']): TimeInputBlock => ({ id: 't', type: 'time input', options })

// The test clock is 2024-06-15T12:00Z; answers must not depend on the server's zone.
const timeZones = ['UTC', 'America/New_York', 'Asia/Tokyo', 'Pacific/Kiritimati']
const originalTimeZone = process.env.TZ
afterEach(() => {
  process.env.TZ = originalTimeZone
})

const ctx = createTestContext({ variables: [{ id: 'vSep', name: 'Date separator', value: 'tot' }] })

describe.each(timeZones)('date input (server zone %s)', (timeZone) => {
  it.each<[string, DateInputBlock, string, ParsedReply]>([
    ['formats a date day-first by default', dateBlock(), '01/02/2024', success('01/02/2024')],
    ['reads month-first with a month-first format', dateBlock({ format: 'MM/dd/yyyy' }), '01/02/2024', success('01/02/2024')],
    ['re-formats with the block format', dateBlock({ format: 'yyyy-MM-dd' }), '5 March 2024', success('2024-03-05')],
    ['adds the time with hasTime', dateBlock({ hasTime: true }), '01/02/2024 14:30', success('01/02/2024 14:30')],
    ['reads relative dates from the engine clock', dateBlock(), 'tomorrow', success('16/06/2024')],
    ['joins a range with "to"', dateBlock({ isRange: true }), 'from 01/01/2024 to 05/01/2024', success('01/01/2024 to 05/01/2024')],
    [
      'uses the separator label',
      dateBlock({ isRange: true, labels: { separator: 'tot' } }),
      'from 01/01/2024 to 05/01/2024',
      success('01/01/2024 tot 05/01/2024'),
    ],
    [
      'substitutes a separator variable',
      dateBlock({ isRange: true, labels: { separator: '{{Date separator}}' } }),
      'from 01/01/2024 to 05/01/2024',
      success('01/01/2024 tot 05/01/2024'),
    ],
    ['ignores the separator without a range', dateBlock({ labels: { separator: 'tot' } }), '01/01/2024', success('01/01/2024')],
    ['fails a range without an end', dateBlock({ isRange: true }), '01/01/2024', fail],
    ['fails text without a date', dateBlock(), 'whenever', fail],
    ['fails after max', dateBlock({ max: '2024-01-31' }), '01/02/2024', fail],
    ['accepts a date before max', dateBlock({ max: '2024-02-01T23:59' }), '01/02/2024', success('01/02/2024')],
    // A date without time is taken at noon (chrono's implied hour), as in Typebot.
    ['fails on the max day given without time', dateBlock({ max: '2024-02-01' }), '01/02/2024', fail],
    ['fails before min', dateBlock({ min: '2024-03-01T00:00' }), '01/02/2024', fail],
    ['accepts day-of-year tokens', dateBlock({ format: 'D' }), '1 February 2024', success('32')],
    [
      'falls back to the default format when the format is malformed',
      dateBlock({ format: 'dd/MM/yyyy j' }),
      '01/02/2024',
      success('01/02/2024'),
    ],
  ])('%s', (_name, block, reply, expected) => {
    process.env.TZ = timeZone
    expect(run(inputHandlers['date input'].parseReply(block, { type: 'text', text: reply }, ctx))).toEqual(expected)
  })
})

describe.each(timeZones)('time input (server zone %s)', (timeZone) => {
  it.each<[string, TimeInputBlock, string, ParsedReply]>([
    ['formats a 24-hour time', timeBlock(), '14:30', success('14:30')],
    ['reads am/pm', timeBlock(), '3pm', success('15:00')],
    ['uses the block format', timeBlock({ format: 'h:mm a' }), '14:30', success('2:30 PM')],
    ['fails text without a time', timeBlock(), 'later maybe', fail],
    ['fails a reply of thousands of characters without parsing it', timeBlock(), `14:30 ${'and then '.repeat(10_000)}`, fail],
  ])('%s', (_name, block, reply, expected) => {
    process.env.TZ = timeZone
    expect(run(inputHandlers['time input'].parseReply(block, { type: 'text', text: reply }, ctx))).toEqual(expected)
  })
})

describe('date input toChatInput', () => {
  it('cuts ISO limits for the date picker and keeps other options', () => {
    const block = dateBlock({ hasTime: false, min: '2024-01-01T10:30:00.000Z', max: '{{Max}}', labels: { button: 'Go' } })
    const context = createTestContext({ variables: [{ id: 'vMax', name: 'Max', value: '2024-12-31T23:59:59Z' }] })
    expect(run(inputHandlers['date input'].toChatInput(block, context))).toEqual({
      id: 'd',
      type: 'date input',
      options: { hasTime: false, min: '2024-01-01', max: '2024-12-31', labels: { button: 'Go' } },
    })
  })

  it('keeps the time of limits when the input has time', () => {
    const block = dateBlock({ hasTime: true, min: '2024-01-01T10:30:00.000Z' })
    expect(run(inputHandlers['date input'].toChatInput(block, createTestContext())).options).toStrictEqual({
      hasTime: true,
      min: '2024-01-01T10:30',
    })
  })
})
