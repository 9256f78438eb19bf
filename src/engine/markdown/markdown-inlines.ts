/**
 * Inline Markdown (emphasis, strikethrough, code spans, links, images, autolinks, HTML, escapes,
 * character references) into a small tree, in linear time: CommonMark's delimiter and bracket
 * stacks, a precomputed index of backtick runs, and a work budget for the lookahead scans of
 * link destinations (once it is spent, brackets stay text).
 */
import type { LinkReferences } from './markdown-blocks.js'
import { normalizeLabel } from './markdown-blocks.js'
import { resolveEmphasis } from './markdown-emphasis.js'

export type InlineKind = 'text' | 'code' | 'html' | 'link' | 'strong' | 'em' | 'del'

/** A node of a doubly linked list; containers (link, strong, em, del) hold a list of children. */
export type InlineNode = {
  kind: InlineKind
  text: string
  /** Delimiter runs and brackets stay separate nodes: emphasis and links are cut at them. */
  isMarker?: boolean
  url?: string
  prev?: InlineNode
  next?: InlineNode
  first?: InlineNode
  last?: InlineNode
}

/** A run of `*`, `_` or `~` that may open or close emphasis. */
export type Delimiter = {
  node: InlineNode
  /** Where the run starts in the text: orders delimiters. */
  position: number
  character: string
  count: number
  originalCount: number
  canOpen: boolean
  canClose: boolean
  prev?: Delimiter
  next?: Delimiter
}

type Bracket = { node: InlineNode; isImage: boolean; isActive: boolean; sourceStart: number; delimiterBelow?: Delimiter; prev?: Bracket }

/** The inline list of one paragraph, heading or item: `first` to `last`. */
export type InlineList = { first?: InlineNode; last?: InlineNode }

const specialCharacter = /[\\`*_~[\]!<&\n]/g
const entityPattern = /&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{1,31});/y
const namedEntities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00A0' }
const asciiPunctuation = /[!-/:-@[-`{-~]/
const MAX_LABEL_CHARS = 999
const MAX_DESTINATION_CHARS = 4096

export function readInlines(text: string, references: LinkReferences): InlineList {
  const list: InlineList = {}
  const state: ReadState = { text, references, list, delimiters: undefined, brackets: undefined, budget: 4 * text.length + 1024 }
  const closingBackticks = indexBacktickRuns(text)
  let index = 0
  while (index < text.length) {
    specialCharacter.lastIndex = index
    const found = specialCharacter.exec(text)
    const next = found ? found.index : text.length
    // Spaces before a line break go (as a soft or a hard break would remove them).
    const end = text[next] === '\n' ? trimmedEnd(text, index, next) : next
    if (end > index) appendText(list, text.slice(index, end))
    if (!found) break
    index = readSpecial(state, next, closingBackticks)
  }
  resolveEmphasis(list, state.delimiters, undefined)
  return list
}

type ReadState = {
  text: string
  references: LinkReferences
  list: InlineList
  delimiters?: Delimiter
  brackets?: Bracket
  /** Characters the lookahead scans may still read. */
  budget: number
}

/** Reads the construct at `index` (a special character); returns where reading goes on. */
function readSpecial(state: ReadState, index: number, closingBackticks: Map<number, number>): number {
  const { text, list } = state
  const character = text[index] ?? ''
  switch (character) {
    case '\\': {
      const escaped = text[index + 1]
      if (escaped === '\n') {
        appendText(list, '\n')
        return index + 2
      }
      if (escaped !== undefined && asciiPunctuation.test(escaped)) {
        appendText(list, escaped)
        return index + 2
      }
      appendText(list, '\\')
      return index + 1
    }
    case '`':
      return readCodeSpan(list, text, index, closingBackticks)
    case '*':
    case '_':
    case '~':
      return readDelimiterRun(state, index)
    case '!':
      if (text[index + 1] !== '[') {
        appendText(list, '!')
        return index + 1
      }
      pushBracket(state, index, true)
      return index + 2
    case '[':
      pushBracket(state, index, false)
      return index + 1
    case ']':
      return closeBracket(state, index)
    case '<':
      return readAngle(state, index)
    case '&':
      return readEntity(list, text, index)
    default:
      // A line break stays in the text, soft or hard.
      appendText(list, '\n')
      return index + 1
  }
}

function appendNode(list: InlineList, node: InlineNode): InlineNode {
  node.prev = list.last
  if (list.last) list.last.next = node
  else list.first = node
  list.last = node
  return node
}

// Plain text joins the text before it: a long text of punctuation stays a few nodes.
function appendText(list: InlineList, text: string): InlineNode {
  const last = list.last
  if (last?.kind === 'text' && !last.isMarker) {
    last.text += text
    return last
  }
  return appendNode(list, { kind: 'text', text })
}

function appendMarker(list: InlineList, text: string): InlineNode {
  return appendNode(list, { kind: 'text', text, isMarker: true })
}

/** For each run of backticks (by start), where the next run of the same length starts. */
function indexBacktickRuns(text: string): Map<number, number> {
  const runs: { start: number; length: number }[] = []
  let index = text.indexOf('`')
  while (index !== -1) {
    let end = index
    while (text[end] === '`') end++
    runs.push({ start: index, length: end - index })
    index = text.indexOf('`', end)
  }
  const closing = new Map<number, number>()
  const nextByLength = new Map<number, number>()
  for (let run = runs.length - 1; run >= 0; run--) {
    const { start, length } = runs[run] ?? { start: 0, length: 0 }
    const next = nextByLength.get(length)
    if (next !== undefined) closing.set(start, next)
    nextByLength.set(length, start)
  }
  return closing
}

function readCodeSpan(list: InlineList, text: string, start: number, closingBackticks: Map<number, number>): number {
  let end = start
  while (text[end] === '`') end++
  const length = end - start
  const closing = closingBackticks.get(start)
  if (closing === undefined) {
    appendText(list, text.slice(start, end))
    return end
  }
  let content = text.slice(end, closing).replace(/\n/g, ' ')
  if (content.length > 1 && content.startsWith(' ') && content.endsWith(' ') && content.trim() !== '') content = content.slice(1, -1)
  appendNode(list, { kind: 'code', text: content })
  return closing + length
}

function readDelimiterRun(state: ReadState, start: number): number {
  const { text } = state
  const character = text[start] ?? ''
  let end = start
  while (text[end] === character) end++
  const count = end - start
  const node = appendMarker(state.list, text.slice(start, end))
  // GFM strikethrough takes one or two tildes; longer runs are text.
  if (character === '~' && count > 2) return end
  const before = start > 0 ? (text[start - 1] ?? ' ') : ' '
  const after = end < text.length ? (text[end] ?? ' ') : ' '
  const isLeftFlanking = !isWhitespace(after) && (!isPunctuation(after) || isWhitespace(before) || isPunctuation(before))
  const isRightFlanking = !isWhitespace(before) && (!isPunctuation(before) || isWhitespace(after) || isPunctuation(after))
  const canOpen = character === '_' ? isLeftFlanking && (!isRightFlanking || isPunctuation(before)) : isLeftFlanking
  const canClose = character === '_' ? isRightFlanking && (!isLeftFlanking || isPunctuation(after)) : isRightFlanking
  if (canOpen || canClose) {
    const delimiter: Delimiter = {
      node,
      position: start,
      character,
      count,
      originalCount: count,
      canOpen,
      canClose,
      prev: state.delimiters,
    }
    if (state.delimiters) state.delimiters.next = delimiter
    state.delimiters = delimiter
  }
  return end
}

function pushBracket(state: ReadState, start: number, isImage: boolean): void {
  const node = appendMarker(state.list, isImage ? '![' : '[')
  state.brackets = {
    node,
    isImage,
    isActive: true,
    sourceStart: start + (isImage ? 2 : 1),
    delimiterBelow: state.delimiters,
    prev: state.brackets,
  }
}

function closeBracket(state: ReadState, index: number): number {
  const opener = state.brackets
  if (!opener) {
    appendText(state.list, ']')
    return index + 1
  }
  state.brackets = opener.prev
  if (!opener.isActive) {
    appendText(state.list, ']')
    return index + 1
  }
  const target = readLinkTarget(state, index + 1, opener)
  if (!target) {
    appendText(state.list, ']')
    return index + 1
  }

  // The link's text: emphasis inside it is resolved first, then its nodes move into the link.
  resolveEmphasis(state.list, state.delimiters, opener.delimiterBelow)
  state.delimiters = opener.delimiterBelow
  if (state.delimiters) state.delimiters.next = undefined
  const link: InlineNode = { kind: 'link', text: opener.isImage ? 'image' : '', url: target.url }
  const first = opener.node.next
  if (first) {
    link.first = first
    link.last = state.list.last
    first.prev = undefined
  }
  link.prev = opener.node.prev
  if (link.prev) link.prev.next = link
  else state.list.first = link
  state.list.last = link
  link.next = undefined
  // No links inside links: earlier openers stop being able to make one.
  if (!opener.isImage) for (let bracket = state.brackets; bracket; bracket = bracket.prev) if (!bracket.isImage) bracket.isActive = false
  return target.end
}

/** `(destination "title")`, `[label]`, `[]` or a defined shortcut label right after `]`. */
function readLinkTarget(state: ReadState, start: number, opener: Bracket): { url: string; end: number } | undefined {
  const { text } = state
  if (text[start] === '(') {
    const inline = readInlineDestination(state, start + 1)
    if (inline) return inline
  }
  const rawLabel = () => text.slice(opener.sourceStart, start - 1)
  if (text[start] === '[') {
    const close = boundedIndexOf(state, ']', start + 1, MAX_LABEL_CHARS + 1)
    if (close !== -1) {
      const label = close === start + 1 ? rawLabel() : text.slice(start + 1, close)
      const url = lookupReference(state, label)
      if (url !== undefined) return { url, end: close + 1 }
    }
  }
  if (state.references.size === 0) return undefined
  const url = lookupReference(state, rawLabel())
  return url === undefined ? undefined : { url, end: start }
}

function lookupReference(state: ReadState, label: string): string | undefined {
  if (label.length > MAX_LABEL_CHARS || state.references.size === 0) return undefined
  state.budget -= label.length
  return state.budget < 0 ? undefined : state.references.get(normalizeLabel(label))
}

function readInlineDestination(state: ReadState, start: number): { url: string; end: number } | undefined {
  const { text } = state
  let index = skipSpaces(text, start)
  let url: string
  if (text[index] === '<') {
    const close = boundedIndexOf(state, '>', index + 1, MAX_DESTINATION_CHARS)
    if (close === -1) return undefined
    url = text.slice(index + 1, close)
    if (url.includes('\n') || url.includes('<')) return undefined
    index = close + 1
  } else {
    const destinationStart = index
    let depth = 0
    if (state.budget <= 0) return undefined
    const limit = Math.min(text.length, index + MAX_DESTINATION_CHARS, index + state.budget)
    while (index < limit) {
      const character = text[index] ?? ''
      if (character === '\\' && asciiPunctuation.test(text[index + 1] ?? '')) index++
      else if (character === '(') depth++
      else if (character === ')') {
        if (depth === 0) break
        depth--
      } else if (character <= ' ') break
      index++
    }
    state.budget -= index - destinationStart
    if (state.budget < 0 || depth !== 0) return undefined
    url = text.slice(destinationStart, index)
  }
  index = skipSpaces(text, index)
  const quote = text[index]
  if (quote === '"' || quote === "'" || quote === '(') {
    const close = boundedIndexOf(state, quote === '(' ? ')' : quote, index + 1, MAX_DESTINATION_CHARS)
    if (close === -1) return undefined
    index = skipSpaces(text, close + 1)
  }
  if (text[index] !== ')') return undefined
  return { url: url.replace(/\\([!-/:-@[-`{-~])/g, '$1'), end: index + 1 }
}

// Spaces, tabs and at most one line break.
function skipSpaces(text: string, start: number): number {
  let index = start
  let lineBreaks = 0
  while (text[index] === ' ' || text[index] === '\t' || (text[index] === '\n' && lineBreaks++ === 0)) index++
  return index
}

/** indexOf within `maxChars`, charged to the work budget; -1 when absent or the budget is spent. */
function boundedIndexOf(state: ReadState, needle: string, start: number, maxChars: number): number {
  if (state.budget <= 0) return -1
  const window = state.text.slice(start, start + Math.min(maxChars, state.budget))
  const found = window.indexOf(needle)
  state.budget -= found === -1 ? window.length : found
  return found === -1 ? -1 : start + found
}

/** An autolink (`<https://…>`, `<a@b.co>`), inline HTML kept as text, or a plain `<`. */
function readAngle(state: ReadState, start: number): number {
  const { text, list } = state
  const close = boundedIndexOf(state, '>', start + 1, MAX_DESTINATION_CHARS)
  const inside = close === -1 ? '' : text.slice(start + 1, close)
  if (close !== -1 && !/[\s<]/.test(inside)) {
    const isUri = /^[A-Za-z][A-Za-z0-9+.-]{1,31}:/.test(inside)
    if (isUri || /^[^@]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(inside)) {
      appendLink(list, isUri ? inside : `mailto:${inside}`, inside)
      return close + 1
    }
  }
  if (close !== -1 && /^(?:\/?[A-Za-z][A-Za-z0-9-]*|!--|\?|!)/.test(inside) && !inside.includes('<')) {
    appendNode(list, { kind: 'html', text: text.slice(start, close + 1) })
    return close + 1
  }
  appendText(list, '<')
  return start + 1
}

function appendLink(list: InlineList, url: string, label: string): void {
  const link = appendNode(list, { kind: 'link', text: '', url })
  const child: InlineNode = { kind: 'text', text: label }
  link.first = child
  link.last = child
}

function readEntity(list: InlineList, text: string, start: number): number {
  entityPattern.lastIndex = start
  const match = entityPattern.exec(text)
  const body = match?.[1]
  if (!match || body === undefined) {
    appendText(list, '&')
    return start + 1
  }
  const decoded = decodeEntity(body)
  appendText(list, decoded ?? match[0])
  return start + match[0].length
}

function decodeEntity(body: string): string | undefined {
  if (!body.startsWith('#')) return namedEntities[body.toLowerCase()]
  const codePoint = body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10)
  return codePoint > 0 && codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : '\uFFFD'
}

function trimmedEnd(text: string, start: number, end: number): number {
  let trimmed = end
  while (trimmed > start && (text[trimmed - 1] === ' ' || text[trimmed - 1] === '\t')) trimmed--
  return trimmed
}

function isWhitespace(character: string): boolean {
  return /\s/u.test(character)
}

function isPunctuation(character: string): boolean {
  return /[\p{P}\p{S}]/u.test(character)
}
