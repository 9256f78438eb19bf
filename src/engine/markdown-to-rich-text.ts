/**
 * Markdown -> rich text (Slate/Plate JSON), used for variable values shown in text bubbles
 * (§5.6). Read with botflow's own linear-time reader (markdown/): Markdown libraries spend
 * superlinear time, or overflow the stack, on crafted input, and a value is often an answer a
 * stranger typed. Bare URLs are not turned into links. Values longer than
 * `MAX_MARKDOWN_CHARS` are shown as plain text, unparsed.
 */

import type { LinkReferences } from './markdown/markdown-blocks.js'
import { type MarkdownBlock, readMarkdownBlocks } from './markdown/markdown-blocks.js'
import { type InlineList, type InlineNode, readInlines } from './markdown/markdown-inlines.js'
import type { RichTextNode } from './types.js'

type Marks = { bold?: true; italic?: true; strikethrough?: true; code?: true }

/** Values above this many characters are shown as they are, without reading Markdown in them. */
export const MAX_MARKDOWN_CHARS = 32 * 1024

/** Parses Markdown into paragraphs, lists, headings... Each fully blank line between two blocks becomes an empty paragraph. */
export function markdownToRichText(markdown: string): RichTextNode[] {
  if (markdown === '') return []
  // Most values (names, numbers, short answers) hold no Markdown at all: skip the reader for them.
  if (isPlainText(markdown) || markdown.length > MAX_MARKDOWN_CHARS) return [{ type: 'p', children: [{ text: markdown }] }]
  const { blocks, references } = readMarkdownBlocks(markdown)
  const nodes: RichTextNode[] = []
  for (const [position, { block, blankLinesBefore }] of blocks.entries()) {
    if (position > 0) for (let blankLine = 0; blankLine < blankLinesBefore; blankLine++) nodes.push(emptyParagraph())
    nodes.push(toBlockNode(block, references))
  }
  return nodes
}

/** Words joined by single spaces or simple punctuation; a leading "1." or "1)" would be a list. */
const plainTextPattern = /^[\p{L}\p{N}]+(?:[ ,'’?!-][\p{L}\p{N}]+)*[.?!]?$/u
const listStartPattern = /^\p{N}+[.)](?:\s|$)/u

function isPlainText(value: string): boolean {
  return value.length <= 200 && plainTextPattern.test(value) && !listStartPattern.test(value)
}

function toBlockNode(block: MarkdownBlock, references: LinkReferences): RichTextNode {
  switch (block.kind) {
    case 'paragraph':
      return element('p', inlineOf(block.text, references))
    case 'heading':
      return element(`h${block.level}`, inlineOf(block.text, references))
    case 'list':
      return toList(block, references)
    case 'quote':
      return element(
        'blockquote',
        block.children.flatMap((child) => blockToInline(child, references)),
      )
    case 'code':
      return element(
        'code_block',
        block.text.split('\n').map((line) => element('code_line', [{ text: line }])),
      )
    case 'hr':
      return element('hr', [{ text: '' }])
    case 'raw':
      return element('p', [{ text: block.text }])
  }
}

function toList(list: Extract<MarkdownBlock, { kind: 'list' }>, references: LinkReferences): RichTextNode {
  const items = list.items.map((item) =>
    element(
      'li',
      item.map((child) => (child.kind === 'list' ? toList(child, references) : element('lic', blockToInline(child, references)))),
    ),
  )
  return element(list.isOrdered ? 'ol' : 'ul', items)
}

/** A block inside a quote or a list item, as the inline content it shows. */
function blockToInline(block: MarkdownBlock, references: LinkReferences): RichTextNode[] {
  switch (block.kind) {
    case 'paragraph':
    case 'heading':
      return inlineOf(block.text, references)
    case 'code':
    case 'raw':
      return [{ text: block.text }]
    case 'hr':
      return []
    case 'quote':
      return block.children.flatMap((child) => blockToInline(child, references))
    case 'list':
      return block.items.flatMap((item) => item.flatMap((child) => blockToInline(child, references)))
  }
}

function inlineOf(text: string, references: LinkReferences): RichTextNode[] {
  return toRichInline(readInlines(text, references))
}

type Frame = { node: InlineNode | undefined; marks: Marks; output: RichTextNode[]; onDone?: () => void }

/** The inline tree as leaves with marks and link elements; iterative, since emphasis may nest deeply. */
function toRichInline(list: InlineList): RichTextNode[] {
  const root: RichTextNode[] = []
  const stack: Frame[] = [{ node: list.first, marks: {}, output: root }]
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]
    const node = frame?.node
    if (!frame || !node) {
      stack.pop()?.onDone?.()
      continue
    }
    frame.node = node.next
    const { marks, output } = frame
    switch (node.kind) {
      case 'text':
      case 'html':
        if (node.text !== '') output.push(leaf(node.text, marks))
        break
      case 'code':
        output.push(leaf(node.text, { ...marks, code: true }))
        break
      case 'strong':
        stack.push({ node: node.first, marks: { ...marks, bold: true }, output })
        break
      case 'em':
        stack.push({ node: node.first, marks: { ...marks, italic: true }, output })
        break
      case 'del':
        stack.push({ node: node.first, marks: { ...marks, strikethrough: true }, output })
        break
      case 'link': {
        const url = node.url ?? ''
        if (node.text === 'image') {
          output.push({ type: 'a', url, children: [leaf(plainTextOf(node) || url, marks)] })
          break
        }
        const link: RichTextNode = { type: 'a', url, children: [] }
        output.push(link)
        const children: RichTextNode[] = []
        stack.push({
          node: node.first,
          marks,
          output: children,
          onDone: () => {
            const merged = mergeLeaves(children)
            link.children = merged.length > 0 ? merged : [{ text: '' }]
          },
        })
        break
      }
    }
  }
  return mergeLeaves(root)
}

function plainTextOf(container: InlineNode): string {
  let text = ''
  const pending: InlineNode[] = container.first ? [container.first] : []
  while (pending.length > 0) {
    const node = pending.pop()
    if (!node) continue
    if (node.next) pending.push(node.next)
    if (node.first) pending.push(node.first)
    else text += node.text
  }
  return text
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

const markKeys = ['bold', 'italic', 'strikethrough', 'code'] as const

function haveSameMarks(left: RichTextNode, right: RichTextNode): boolean {
  return markKeys.every((key) => left[key] === right[key])
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
