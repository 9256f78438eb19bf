/**
 * The block structure of Markdown (CommonMark's constructs, GFM tables), read line by line.
 * Linear: each line is looked at once per level of nesting, and nesting stops at a fixed depth
 * (deeper markers stay text). Inline content is kept as text for markdown-inlines.ts.
 */

export type MarkdownBlock =
  | { kind: 'paragraph'; text: string }
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'code'; text: string }
  | { kind: 'hr' }
  /** Tables and HTML blocks: shown as their source text. */
  | { kind: 'raw'; text: string }
  | { kind: 'quote'; children: MarkdownBlock[] }
  | { kind: 'list'; isOrdered: boolean; items: MarkdownBlock[][] }

/** A top-level block and the number of blank lines before it (each becomes an empty paragraph). */
export type PlacedBlock = { block: MarkdownBlock; blankLinesBefore: number }

/** Link reference definitions (`[label]: url`), by normalised label. */
export type LinkReferences = Map<string, string>

const MAX_NESTING = 16

export function readMarkdownBlocks(markdown: string): { blocks: PlacedBlock[]; references: LinkReferences } {
  const references: LinkReferences = new Map()
  const lines = markdown.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line))
  return { blocks: readBlocks(lines, 0, references), references }
}

function readBlocks(lines: string[], depth: number, references: LinkReferences): PlacedBlock[] {
  const blocks: PlacedBlock[] = []
  let index = 0
  let blankLines = 0
  const push = (block: MarkdownBlock) => {
    blocks.push({ block, blankLinesBefore: blankLines })
    blankLines = 0
  }
  while (index < lines.length) {
    const line = lines[index] ?? ''
    if (isBlank(line)) {
      blankLines++
      index++
      continue
    }
    const indent = indentOf(line)
    if (indent >= 4) {
      index = readIndentedCode(lines, index, push)
      continue
    }
    const content = line.slice(indent)
    const fence = fenceOf(content)
    if (fence) {
      index = readFencedCode(lines, index, indent, fence, push)
      continue
    }
    const heading = headingOf(content)
    if (heading) {
      push(heading)
      index++
      continue
    }
    if (isThematicBreak(content)) {
      push({ kind: 'hr' })
      index++
      continue
    }
    if (content.startsWith('>') && depth < MAX_NESTING) {
      index = readQuote(lines, index, depth, references, push)
      continue
    }
    const marker = depth < MAX_NESTING ? listMarkerOf(line) : undefined
    if (marker) {
      index = readList(lines, index, marker, depth, references, push)
      continue
    }
    if (isHtmlBlockStart(content)) {
      index = readUntilBlank(lines, index, (text) => push({ kind: 'raw', text }))
      continue
    }
    if (isTableStart(lines, index)) {
      index = readUntilBlank(lines, index, (text) => push({ kind: 'raw', text }))
      continue
    }
    if (readReference(content, references)) {
      index++
      continue
    }
    index = readParagraph(lines, index, push)
  }
  return blocks
}

function readIndentedCode(lines: string[], start: number, push: (block: MarkdownBlock) => void): number {
  let end = start
  let lastContent = start
  while (end < lines.length) {
    const line = lines[end] ?? ''
    if (!isBlank(line) && indentOf(line) < 4) break
    if (!isBlank(line)) lastContent = end
    end++
  }
  const text = lines
    .slice(start, lastContent + 1)
    .map((line) => stripIndent(line, 4))
    .join('\n')
  push({ kind: 'code', text })
  return lastContent + 1
}

type Fence = { character: string; length: number }

function fenceOf(content: string): Fence | undefined {
  const character = content[0]
  if (character !== '`' && character !== '~') return undefined
  let length = 0
  while (content[length] === character) length++
  if (length < 3) return undefined
  // A backtick fence's info string may not contain backticks.
  if (character === '`' && content.indexOf('`', length) !== -1) return undefined
  return { character, length }
}

function readFencedCode(lines: string[], start: number, indent: number, fence: Fence, push: (block: MarkdownBlock) => void): number {
  const body: string[] = []
  let index = start + 1
  while (index < lines.length) {
    const line = lines[index] ?? ''
    const content = line.slice(Math.min(indentOf(line), 3))
    if (indentOf(line) < 4 && isClosingFence(content, fence)) {
      index++
      break
    }
    body.push(stripIndent(line, indent))
    index++
  }
  push({ kind: 'code', text: body.join('\n') })
  return index
}

function isClosingFence(content: string, fence: Fence): boolean {
  let length = 0
  while (content[length] === fence.character) length++
  return length >= fence.length && content.slice(length).trim() === ''
}

function headingOf(content: string): MarkdownBlock | undefined {
  let level = 0
  while (content[level] === '#') level++
  if (level === 0 || level > 6) return undefined
  const after = content[level]
  if (after !== undefined && after !== ' ' && after !== '\t') return undefined
  let text = content.slice(level).trim()
  // A closing sequence of #s goes when a space precedes it (or it is all there is).
  let end = text.length
  while (end > 0 && text[end - 1] === '#') end--
  if (end === 0) text = ''
  else if (end < text.length && (text[end - 1] === ' ' || text[end - 1] === '\t')) text = text.slice(0, end).trim()
  return { kind: 'heading', level, text }
}

function isThematicBreak(content: string): boolean {
  const character = content[0]
  if (character !== '-' && character !== '*' && character !== '_') return false
  let count = 0
  for (const current of content) {
    if (current === character) count++
    else if (current !== ' ' && current !== '\t') return false
  }
  return count >= 3
}

function readQuote(
  lines: string[],
  start: number,
  depth: number,
  references: LinkReferences,
  push: (block: MarkdownBlock) => void,
): number {
  const inner: string[] = []
  let index = start
  while (index < lines.length) {
    const line = lines[index] ?? ''
    const indent = indentOf(line)
    const content = line.slice(indent)
    if (indent < 4 && content.startsWith('>')) {
      inner.push(content.slice(content[1] === ' ' ? 2 : 1))
    } else if (!isBlank(line) && inner.length > 0 && !isBlank(inner[inner.length - 1] ?? '') && !startsBlock(line)) {
      // A lazy continuation line of the quoted paragraph.
      inner.push(line)
    } else {
      break
    }
    index++
  }
  push({ kind: 'quote', children: readBlocks(inner, depth + 1, references).map((placed) => placed.block) })
  return index
}

type ListMarker = { isOrdered: boolean; delimiter: string; contentIndent: number; start: number; isEmpty: boolean }

function listMarkerOf(line: string): ListMarker | undefined {
  const indent = indentOf(line)
  if (indent >= 4) return undefined
  let position = indent
  const first = line[position]
  let isOrdered = false
  let delimiter: string
  let start = 1
  if (first === '-' || first === '+' || first === '*') {
    delimiter = first
    position++
  } else {
    const digitsStart = position
    while (position - digitsStart < 9 && isDigit(line[position])) position++
    const closing = line[position]
    if (position === digitsStart || (closing !== '.' && closing !== ')')) return undefined
    isOrdered = true
    delimiter = closing
    start = Number(line.slice(digitsStart, position))
    position++
  }
  const rest = line.slice(position)
  if (rest !== '' && rest[0] !== ' ' && rest[0] !== '\t') return undefined
  if (isBlank(rest)) return { isOrdered, delimiter, contentIndent: position + 1, start, isEmpty: true }
  const spaces = indentOf(rest)
  // Five spaces or more after the marker: one belongs to the marker, the rest to indented code.
  return { isOrdered, delimiter, contentIndent: position + (spaces > 4 ? 1 : spaces), start, isEmpty: false }
}

function readList(
  lines: string[],
  start: number,
  first: ListMarker,
  depth: number,
  references: LinkReferences,
  push: (block: MarkdownBlock) => void,
): number {
  const items: MarkdownBlock[][] = []
  let index = start
  let marker: ListMarker | undefined = first
  while (marker && index < lines.length) {
    const itemLines = [(lines[index] ?? '').slice(marker.contentIndent)]
    index++
    let isPreviousBlank = false
    while (index < lines.length) {
      const line = lines[index] ?? ''
      if (isBlank(line)) {
        itemLines.push('')
        isPreviousBlank = true
        index++
        continue
      }
      if (indentOf(line) >= marker.contentIndent) {
        itemLines.push(line.slice(marker.contentIndent))
      } else if (!isPreviousBlank && !startsBlock(line) && !listMarkerOf(line)) {
        itemLines.push(line.trimStart())
      } else {
        break
      }
      isPreviousBlank = false
      index++
    }
    while (itemLines.length > 1 && isBlank(itemLines[itemLines.length - 1] ?? '')) {
      itemLines.pop()
      index--
    }
    items.push(readBlocks(itemLines, depth + 1, references).map((placed) => placed.block))
    const next = index < lines.length ? listMarkerOf(lines[index] ?? '') : undefined
    marker = next && next.isOrdered === first.isOrdered && next.delimiter === first.delimiter ? next : undefined
    // Blank lines between items belong to the list.
    if (!marker) {
      let lookahead = index
      while (lookahead < lines.length && isBlank(lines[lookahead] ?? '')) lookahead++
      const after = lookahead < lines.length ? listMarkerOf(lines[lookahead] ?? '') : undefined
      if (lookahead > index && after && after.isOrdered === first.isOrdered && after.delimiter === first.delimiter) {
        index = lookahead
        marker = after
      }
    }
  }
  push({ kind: 'list', isOrdered: first.isOrdered, items })
  return index
}

const htmlBlockTags = new Set(
  'address article aside base basefont blockquote body caption center col colgroup dd details dialog dir div dl dt fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 head header hr html iframe legend li link main menu menuitem nav noframes ol optgroup option p param pre script section source style summary table tbody td textarea tfoot th thead title tr track ul'.split(
    ' ',
  ),
)

function isHtmlBlockStart(content: string): boolean {
  if (content[0] !== '<') return false
  if (content.startsWith('<!--') || content.startsWith('<?') || content.startsWith('<!')) return true
  let end = content[1] === '/' ? 2 : 1
  const nameStart = end
  while (end < content.length && end - nameStart < 16 && /[A-Za-z0-9-]/.test(content[end] ?? '')) end++
  const name = content.slice(nameStart, end).toLowerCase()
  const after = content[end]
  return htmlBlockTags.has(name) && (after === undefined || after === ' ' || after === '>' || after === '/' || after === '\t')
}

// A GFM table: a row with pipes, then a delimiter row with as many cells.
function isTableStart(lines: string[], index: number): boolean {
  const header = lines[index] ?? ''
  const delimiter = lines[index + 1]
  if (delimiter === undefined || !header.includes('|')) return false
  const cells = splitCells(delimiter)
  return cells.length > 0 && cells.length === splitCells(header).length && cells.every((cell) => /^:?-+:?$/.test(cell))
}

function splitCells(row: string): string[] {
  const cells = row.trim().split('|')
  if (cells[0]?.trim() === '') cells.shift()
  if (cells.length > 0 && cells[cells.length - 1]?.trim() === '') cells.pop()
  return cells.map((cell) => cell.trim())
}

function readUntilBlank(lines: string[], start: number, emit: (text: string) => void): number {
  let index = start
  while (index < lines.length && !isBlank(lines[index] ?? '')) index++
  emit(lines.slice(start, index).join('\n'))
  return index
}

// `[label]: destination`, possibly followed by a title; only the destination is kept.
function readReference(content: string, references: LinkReferences): boolean {
  if (content[0] !== '[') return false
  const close = content.indexOf(']:', 1)
  if (close === -1 || content.lastIndexOf('[', close) !== 0) return false
  const label = normalizeLabel(content.slice(1, close))
  const destination = content
    .slice(close + 2)
    .trim()
    .split(/[ \t]/)[0]
  if (label === '' || !destination) return false
  if (!references.has(label)) references.set(label, destination.replace(/^<(.*)>$/, '$1'))
  return true
}

export function normalizeLabel(label: string): string {
  return label.trim().replace(/\s+/g, ' ').toLowerCase()
}

function readParagraph(lines: string[], start: number, push: (block: MarkdownBlock) => void): number {
  const paragraph: string[] = [(lines[start] ?? '').trimStart()]
  let index = start + 1
  while (index < lines.length) {
    const line = lines[index] ?? ''
    if (isBlank(line)) break
    const content = line.slice(Math.min(indentOf(line), 3))
    if (indentOf(line) < 4 && (/^=+[ \t]*$/.test(content) || /^-+[ \t]*$/.test(content))) {
      // A setext underline: the paragraph so far is a heading.
      push({ kind: 'heading', level: content[0] === '=' ? 1 : 2, text: paragraph.join('\n').trim() })
      return index + 1
    }
    if (startsBlock(line, true)) break
    paragraph.push(line.trimStart())
    index++
  }
  push({ kind: 'paragraph', text: paragraph.join('\n').trimEnd() })
  return index
}

/** Whether a line opens a block that ends a paragraph (or a lazy continuation). */
function startsBlock(line: string, isInterruptingParagraph = true): boolean {
  const indent = indentOf(line)
  if (indent >= 4) return false
  const content = line.slice(indent)
  if (fenceOf(content) || headingOf(content) || isThematicBreak(content) || content.startsWith('>')) return true
  if (isHtmlBlockStart(content)) return true
  const marker = listMarkerOf(line)
  // Only a non-empty item, and an ordered one starting at 1, may interrupt a paragraph.
  if (marker && isInterruptingParagraph) return !marker.isEmpty && (!marker.isOrdered || marker.start === 1)
  return marker !== undefined
}

function isBlank(line: string): boolean {
  return line.trim() === ''
}

function isDigit(character: string | undefined): boolean {
  return character !== undefined && character >= '0' && character <= '9'
}

/** Columns of leading whitespace, a tab counting as the next multiple of four. */
function indentOf(line: string): number {
  let columns = 0
  for (const character of line) {
    if (character === ' ') columns++
    else if (character === '\t') columns += 4 - (columns % 4)
    else break
  }
  return columns
}

function stripIndent(line: string, columns: number): string {
  let removed = 0
  let index = 0
  while (index < line.length && removed < columns) {
    const character = line[index]
    if (character === ' ') removed++
    else if (character === '\t') removed += 4 - (removed % 4)
    else break
    index++
  }
  return line.slice(index)
}
