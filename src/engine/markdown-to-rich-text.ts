/**
 * Markdown -> rich text (Slate/Plate JSON), used for variable values shown in text bubbles
 * (§5.6). Built on marked's lexer; bare URLs are not turned into links.
 */

import type { Token, Tokens } from 'marked'
import { Lexer, Tokenizer } from 'marked'
import type { RichTextNode } from './types.js'

type Marks = { bold?: true; italic?: true; strikethrough?: true; code?: true }

/** Parses Markdown into paragraphs, lists, headings... Each fully blank line between two blocks becomes an empty paragraph. */
export function markdownToRichText(markdown: string): RichTextNode[] {
  if (markdown === '') return []
  // Most values (names, numbers, short answers) hold no Markdown at all: skip the lexer for them.
  if (isPlainText(markdown)) return [{ type: 'p', children: [{ text: markdown }] }]
  const tokens = new Lexer({ gfm: true, breaks: false, tokenizer: new NoAutolinkTokenizer() }).lex(markdown)
  const nodes: RichTextNode[] = []
  let pendingNewlines = 0
  let hasPreviousBlock = false
  for (const token of tokens) {
    if (token.type === 'space') {
      pendingNewlines += countNewlines(token.raw)
      continue
    }
    const blocks = toBlocks(token)
    if (blocks.length === 0) continue
    if (hasPreviousBlock) {
      for (let blankLine = 1; blankLine < pendingNewlines; blankLine++) nodes.push(emptyParagraph())
    }
    nodes.push(...blocks)
    hasPreviousBlock = true
    pendingNewlines = countTrailingNewlines(token.raw)
  }
  return nodes
}

/** Words joined by single spaces or simple punctuation; a leading "1." or "1)" would be a list. */
const plainTextPattern = /^[\p{L}\p{N}]+(?:[ ,'’?!-][\p{L}\p{N}]+)*[.?!]?$/u
const listStartPattern = /^\p{N}+[.)](?:\s|$)/u

function isPlainText(value: string): boolean {
  return value.length <= 200 && plainTextPattern.test(value) && !listStartPattern.test(value)
}

// GFM's extended autolinks would turn `http://127.0.0.1:3001` into a link; Typebot shows it as text.
class NoAutolinkTokenizer extends Tokenizer {
  override url(): undefined {
    return undefined
  }
}

function toBlocks(token: Token): RichTextNode[] {
  switch (token.type) {
    case 'paragraph':
      return [element('p', toInline(token.tokens ?? [], {}))]
    case 'heading':
      return [element(`h${Math.min(Math.max(Number(token.depth) || 1, 1), 6)}`, toInline(token.tokens ?? [], {}))]
    case 'list':
      return [toList(token as Tokens.List)]
    case 'blockquote':
      return [
        element(
          'blockquote',
          (token.tokens ?? []).flatMap((child) => blockToInline(child)),
        ),
      ]
    case 'code':
      return [
        element(
          'code_block',
          String(token.text)
            .split('\n')
            .map((line) => element('code_line', [{ text: line }])),
        ),
      ]
    case 'hr':
      return [element('hr', [{ text: '' }])]
    case 'def':
      return []
    case 'table':
    case 'html':
      return [element('p', [{ text: trimTrailingNewlines(token.raw) }])]
    default: {
      const children = childTokens(token)
      return [element('p', children ? toInline(children, {}) : [{ text: decodeEntities(token.raw) }])]
    }
  }
}

function toList(list: Tokens.List): RichTextNode {
  const items = list.items.map((item) =>
    element(
      'li',
      item.tokens.flatMap((child): RichTextNode[] => {
        if (child.type === 'list') return [toList(child as Tokens.List)]
        if (child.type === 'space') return []
        return [element('lic', blockToInline(child))]
      }),
    ),
  )
  return element(list.ordered ? 'ol' : 'ul', items)
}

function blockToInline(token: Token): RichTextNode[] {
  const children = childTokens(token)
  if (children) return toInline(children, {})
  return [{ text: decodeEntities('text' in token && typeof token.text === 'string' ? token.text : token.raw) }]
}

function toInline(tokens: Token[], marks: Marks): RichTextNode[] {
  return mergeLeaves(tokens.flatMap((token) => inlineToken(token, marks)))
}

function inlineToken(token: Token, marks: Marks): RichTextNode[] {
  switch (token.type) {
    case 'strong':
      return toInline(token.tokens ?? [], { ...marks, bold: true })
    case 'em':
      return toInline(token.tokens ?? [], { ...marks, italic: true })
    case 'del':
      return toInline(token.tokens ?? [], { ...marks, strikethrough: true })
    case 'codespan':
      return [leaf(String(token.text), { ...marks, code: true })]
    case 'br':
      return [leaf('\n', marks)]
    case 'link': {
      const children = toInline(token.tokens ?? [], marks)
      return [{ type: 'a', url: String(token.href), children: children.length > 0 ? children : [{ text: '' }] }]
    }
    case 'image':
      return [{ type: 'a', url: String(token.href), children: [leaf(String(token.text || token.href), marks)] }]
    case 'escape':
      return [leaf(String(token.text), marks)]
    case 'html':
      return [leaf(token.raw, marks)]
    case 'text':
      return token.tokens ? toInline(token.tokens, marks) : [leaf(decodeEntities(String(token.text)), marks)]
    default: {
      const children = childTokens(token)
      return children ? toInline(children, marks) : [leaf(decodeEntities(token.raw), marks)]
    }
  }
}

function childTokens(token: Token): Token[] | undefined {
  return 'tokens' in token && Array.isArray(token.tokens) ? token.tokens : undefined
}

// marked splits text around escapes and entities; rich text keeps one leaf per run of equal marks.
function mergeLeaves(nodes: RichTextNode[]): RichTextNode[] {
  const merged: RichTextNode[] = []
  for (const node of nodes) {
    const previous = merged.at(-1)
    if (previous && isPlainLeaf(previous) && isPlainLeaf(node) && haveSameMarks(previous, node)) {
      merged[merged.length - 1] = { ...previous, text: `${previous.text ?? ''}${node.text ?? ''}` }
      continue
    }
    merged.push(node)
  }
  return merged
}

function isPlainLeaf(node: RichTextNode): boolean {
  return typeof node.text === 'string' && node.children === undefined
}

function haveSameMarks(left: RichTextNode, right: RichTextNode): boolean {
  const keys = new Set([...Object.keys(left), ...Object.keys(right)])
  keys.delete('text')
  return [...keys].every((key) => left[key] === right[key])
}

function leaf(text: string, marks: Marks): RichTextNode {
  return { ...marks, text }
}

// Key order (children before type) mirrors what Typebot produces for Markdown-derived elements.
function element(type: string, children: RichTextNode[]): RichTextNode {
  return { children: children.length > 0 ? children : [{ text: '' }], type }
}

function emptyParagraph(): RichTextNode {
  return { children: [{ text: '' }], type: 'p' }
}

function countNewlines(text: string): number {
  return text.split('\n').length - 1
}

function countTrailingNewlines(text: string): number {
  return text.length - text.replace(/\n+$/, '').length
}

function trimTrailingNewlines(text: string): string {
  return text.replace(/\n+$/, '')
}

const namedEntities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00A0' }

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]+);/gi, (entity, body: string) => {
    if (body.startsWith('#')) {
      const codePoint = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10)
      return codePoint > 0 && codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : entity
    }
    return namedEntities[body.toLowerCase()] ?? entity
  })
}
