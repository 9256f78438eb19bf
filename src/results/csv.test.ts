import { describe, expect, it } from 'vitest'
import { sanitizeCell, toCsvLine } from './csv.js'

describe('CSV', () => {
  it('quotes only cells that need it and doubles quotes', () => {
    expect(toCsvLine(['plain', 'a,b', 'say "hi"', 'two\nlines', ' padded', ''])).toBe(
      'plain,"a,b","say ""hi""","two\nlines"," padded",\r\n',
    )
  })

  it('defuses cells a spreadsheet would run as formulas', () => {
    expect(['=1+1', '+33 6', '-2', '@SUM(A1)', '\tx', 'fine'].map(sanitizeCell)).toEqual([
      "'=1+1",
      "'+33 6",
      "'-2",
      "'@SUM(A1)",
      "'\tx",
      'fine',
    ])
  })
})
