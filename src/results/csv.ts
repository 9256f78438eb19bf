/** CSV as RFC 4180 writes it, with the cell escaping spreadsheets need. */

const formulaPrefixes = ['=', '+', '-', '@', '\t', '\r']

/**
 * A cell a spreadsheet would run as a formula (`=HYPERLINK(...)` typed into a chat) is prefixed
 * with `'`, as Typebot's export does: the text shows, nothing runs.
 */
export function sanitizeCell(value: string): string {
  return value.length > 0 && formulaPrefixes.includes(value.charAt(0)) ? `'${value}` : value
}

/** One line, CRLF-terminated; cells are quoted only when they need it. */
export function toCsvLine(cells: readonly string[]): string {
  return `${cells.map(quoteCell).join(',')}\r\n`
}

function quoteCell(cell: string): string {
  const needsQuotes = /[",\r\n]/.test(cell) || cell.startsWith(' ') || cell.endsWith(' ')
  return needsQuotes ? `"${cell.replaceAll('"', '""')}"` : cell
}
