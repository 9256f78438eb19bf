/**
 * Finds `{{= code =}}` and `{{Name}}` in a template in linear time. The regular expressions this
 * replaces (`/\{\{=(.+?)=\}\}/`) rescanned the rest of the line from every unclosed `{{=`, which
 * made a line of them quadratic; the matches are the same.
 */

export type TemplateMatch = { start: number; end: number } & ({ kind: 'code'; code: string } | { kind: 'reference'; name: string })

/** Which constructs to look for: inline code only, or inline code and references (code first at a position). */
export type TemplateScan = 'code' | 'code-or-reference'

/** Non-overlapping matches, left to right, as a global regex with the same alternatives would find them. */
export function scanTemplate(text: string, scan: TemplateScan): TemplateMatch[] {
  const matches: TemplateMatch[] = []
  const finders = createFinders(text)
  let index = text.indexOf('{{')
  while (index !== -1) {
    const match = matchCodeAt(text, index, finders) ?? (scan === 'code' ? undefined : matchReferenceAt(text, index))
    if (match) {
      matches.push(match)
      index = text.indexOf('{{', match.end)
    } else {
      index = text.indexOf('{{', index + 1)
    }
  }
  return matches
}

/** Whether the text may hold inline code at all: the cheap test that keeps the common case fast. */
export function hasInlineCode(text: string): boolean {
  return text.includes('{{=')
}

// `{{=` + at least one character + `=}}`, all on one line (`.` stops at line terminators).
function matchCodeAt(text: string, start: number, finders: Finders): TemplateMatch | undefined {
  if (text.charCodeAt(start + 2) !== 61 /* = */) return undefined
  const bodyStart = start + 3
  const closing = finders.closing.findFrom(bodyStart + 1)
  if (closing === -1) return undefined
  const lineEnd = finders.lineEnd.findFrom(bodyStart)
  if (lineEnd !== -1 && lineEnd < closing) return undefined
  return { kind: 'code', start, end: closing + 3, code: text.slice(bodyStart, closing) }
}

// `{{` + one or more characters other than braces + `}}`.
function matchReferenceAt(text: string, start: number): TemplateMatch | undefined {
  let index = start + 2
  while (index < text.length) {
    const code = text.charCodeAt(index)
    if (code === 123 /* { */ || code === 125 /* } */) break
    index++
  }
  if (index === start + 2 || text.charCodeAt(index) !== 125 || text.charCodeAt(index + 1) !== 125) return undefined
  return { kind: 'reference', start, end: index + 2, name: text.slice(start + 2, index) }
}

type ForwardFinder = { findFrom(position: number): number }
type Finders = { closing: ForwardFinder; lineEnd: ForwardFinder }

const lineTerminator = /[\n\r\u2028\u2029]/g

/**
 * The next occurrence at or after a position, for positions that never move backwards: a search
 * resumes where the previous one ended, so all searches together read the text once.
 */
function createForwardFinder(search: (from: number) => number): ForwardFinder {
  let found: number | undefined
  return {
    findFrom(position) {
      if (found !== undefined && (found === -1 || found >= position)) return found
      found = search(position)
      return found
    },
  }
}

function createFinders(text: string): Finders {
  return {
    closing: createForwardFinder((from) => text.indexOf('=}}', from)),
    lineEnd: createForwardFinder((from) => {
      lineTerminator.lastIndex = from
      return lineTerminator.exec(text)?.index ?? -1
    }),
  }
}
