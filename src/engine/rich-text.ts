/**
 * Rich text (Slate/Plate JSON) substitution and Markdown conversion (§5.6, §5.6.1).
 */
import { markdownToRichText } from './markdown-to-rich-text.js'
import { scanTemplate } from './template-scanner.js'
import type { Effectful, RichTextNode, Variable } from './types.js'
import { evaluateInlineCode, formatInlineCodeResultForBubble, stringifyValue, substituteVariables } from './variables.js'

type SubstitutionContext = { variables: Variable[]; takeLatestIfList: boolean }

/**
 * §5.6: replaces variables and inline code inside rich text. Values are read as Markdown, so a
 * value holding `**x**` shows bold; a paragraph that is only `{{Content}}` becomes the value's
 * paragraphs; an unset variable contributes nothing.
 */
export function* substituteRichText(
  nodes: RichTextNode[],
  variables: Variable[],
  options: { takeLatestIfList?: boolean } = {},
): Effectful<RichTextNode[]> {
  return yield* substituteNodes(nodes, { variables, takeLatestIfList: options.takeLatestIfList ?? false })
}

function* substituteNodes(nodes: RichTextNode[], context: SubstitutionContext): Effectful<RichTextNode[]> {
  const substituted: RichTextNode[] = []
  for (const node of nodes) {
    substituted.push(...(isLeaf(node) ? yield* substituteLeaf(node, context) : yield* substituteElement(node, context)))
  }
  return substituted
}

function* substituteElement(node: RichTextNode, context: SubstitutionContext): Effectful<RichTextNode[]> {
  const children = yield* substituteNodes(node.children ?? [], context)
  const onlyChild = node.children?.length === 1 ? node.children[0] : undefined
  const isOnlyOneReference = node.type !== 'a' && onlyChild !== undefined && isLeaf(onlyChild) && isSingleOccurrence(onlyChild.text ?? '')
  if (isOnlyOneReference) return children
  const substituted: RichTextNode = { ...node, children }
  if (typeof node.url === 'string') substituted.url = yield* substituteVariables(node.url, context.variables)
  return [substituted]
}

function* substituteLeaf(leaf: RichTextNode, context: SubstitutionContext): Effectful<RichTextNode[]> {
  const text = leaf.text ?? ''
  if (text === '') return [leaf]
  const occurrences = yield* findOccurrences(text, context)
  if (occurrences.length === 0) return [leaf]
  const isStyled = Boolean(leaf.bold || leaf.italic || leaf.underline)
  const [first] = occurrences
  if (first && occurrences.length === 1 && first.start === 0 && first.end === text.length && !isStyled) {
    return markdownToRichText(first.value)
  }
  const style = styleOf(leaf)
  const pieces: RichTextNode[] = []
  let cursor = 0
  for (const occurrence of occurrences) {
    if (occurrence.start > cursor) pieces.push({ ...leaf, text: text.slice(cursor, occurrence.start) })
    pieces.push(...markdownToRichText(occurrence.value).flatMap((node) => flattenValueNode(applyStyle(node, style))))
    cursor = occurrence.end
  }
  if (cursor < text.length) pieces.push({ ...leaf, text: text.slice(cursor) })
  return pieces
}

type Occurrence = { start: number; end: number; value: string }

/** Inline code blocks and `{{Name}}` references, whichever starts first. */
function* findOccurrences(text: string, context: SubstitutionContext): Effectful<Occurrence[]> {
  const occurrences: Occurrence[] = []
  for (const match of scanTemplate(text, 'code-or-reference')) {
    const { start, end } = match
    if (match.kind === 'code') {
      const result = yield* evaluateInlineCode(match.code, context.variables)
      occurrences.push({ start, end, value: formatInlineCodeResultForBubble(result, context.takeLatestIfList) })
      continue
    }
    // Bubbles use the first variable with the name even when it is empty (§5.2, last note).
    const variable = context.variables.find((candidate) => candidate.name === match.name)
    occurrences.push({ start, end, value: stringifyValue(variable?.value, context.takeLatestIfList) })
  }
  return occurrences
}

function isSingleOccurrence(text: string): boolean {
  const matches = scanTemplate(text, 'code-or-reference')
  return matches.length === 1 && matches[0]?.start === 0 && matches[0].end === text.length
}

type Style = Pick<RichTextNode, 'bold' | 'italic' | 'underline'>

function styleOf(leaf: RichTextNode): Style {
  const style: Style = {}
  if (leaf.bold) style.bold = true
  if (leaf.italic) style.italic = true
  if (leaf.underline) style.underline = true
  return style
}

function applyStyle(node: RichTextNode, style: Style): RichTextNode {
  if (isLeaf(node)) return { ...style, ...node }
  return { ...node, children: (node.children ?? []).map((child) => applyStyle(child, style)) }
}

/** A value's block inside a sentence becomes plain leaves; an empty paragraph keeps the break. */
function flattenValueNode(node: RichTextNode): RichTextNode[] {
  if (isLeaf(node)) return [node]
  const children = node.children ?? []
  if (node.type === 'p' && children.length === 1 && children[0]?.text === '') return [{ text: '\n\n' }]
  return flattenToLeaves(children)
}

function flattenToLeaves(nodes: RichTextNode[]): RichTextNode[] {
  return nodes.flatMap((node) => (isLeaf(node) ? [node] : flattenToLeaves(node.children ?? [])))
}

function isLeaf(node: RichTextNode): boolean {
  return typeof node.text === 'string'
}

const blockTypes = new Set([
  'p',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
  'ol',
  'ul',
  'li',
  'lic',
  'code_block',
  'code_line',
  'hr',
])

/**
 * §5.6.1: blocks joined by one newline (an empty paragraph is a blank line), no escaping,
 * `**bold**`, `_italic_`, `<u>underline</u>`, `[text](url)`, `1.` / `*` lists.
 */
export function richTextToMarkdown(nodes: RichTextNode[]): string {
  const markdown = toBlockLines(nodes, 0).join('\n')
  // Typebot's serializer ends its output with one line break, unless the text already ends with
  // one, then cuts the last character: a trailing line break of the text is what goes.
  return markdown.endsWith('\n') || markdown.endsWith('\r') ? markdown.slice(0, -1) : markdown
}

function toBlockLines(nodes: RichTextNode[], listDepth: number): string[] {
  const lines: string[] = []
  let inlineRun: RichTextNode[] = []
  const flushInlineRun = () => {
    if (inlineRun.length > 0) lines.push(toInlineMarkdown(inlineRun))
    inlineRun = []
  }
  for (const node of nodes) {
    if (isLeaf(node) || !isBlock(node)) {
      inlineRun.push(node)
      continue
    }
    flushInlineRun()
    lines.push(...blockToMarkdown(node, listDepth))
  }
  flushInlineRun()
  return lines
}

function isBlock(node: RichTextNode): boolean {
  if (node.type !== undefined && blockTypes.has(node.type)) return true
  // Unknown elements holding blocks (e.g. a paragraph nested in a link) are blocks themselves.
  return (node.children ?? []).some((child) => !isLeaf(child) && isBlock(child))
}

function blockToMarkdown(node: RichTextNode, listDepth: number): string[] {
  const children = node.children ?? []
  switch (node.type) {
    case 'p':
    case 'lic':
      return [toInlineMarkdown(children)]
    case 'h1':
    case 'h2':
    case 'h3':
    case 'h4':
    case 'h5':
    case 'h6':
      return [`${'#'.repeat(Number(node.type.slice(1)))} ${toInlineMarkdown(children)}`]
    case 'blockquote':
      return [`> ${toInlineMarkdown(children)}`]
    case 'code_block':
      return ['```', ...children.map((line) => plainText(line)), '```']
    case 'hr':
      return ['---']
    case 'ol':
    case 'ul':
      return listToMarkdown(node, listDepth)
    default:
      return toBlockLines(children, listDepth)
  }
}

function listToMarkdown(list: RichTextNode, listDepth: number): string[] {
  const isOrdered = list.type === 'ol'
  const indent = (isOrdered ? '   ' : '  ').repeat(listDepth)
  const lines: string[] = []
  ;(list.children ?? []).forEach((item, index) => {
    const marker = isOrdered ? `${index + 1}. ` : '* '
    const itemChildren = item.type === 'li' ? (item.children ?? []) : [item]
    const content = itemChildren.filter((child) => child.type !== 'ol' && child.type !== 'ul')
    const nested = itemChildren.filter((child) => child.type === 'ol' || child.type === 'ul')
    lines.push(`${indent}${marker}${content.map((child) => toInlineMarkdown(isLeaf(child) ? [child] : (child.children ?? []))).join('')}`)
    for (const sublist of nested) lines.push(...listToMarkdown(sublist, listDepth + 1))
  })
  return lines
}

function toInlineMarkdown(nodes: RichTextNode[]): string {
  return nodes.map((node) => inlineNodeToMarkdown(node)).join('')
}

function inlineNodeToMarkdown(node: RichTextNode): string {
  if (isLeaf(node)) return leafToMarkdown(node)
  const children = node.children ?? []
  if (node.type === 'a') {
    const text = toInlineMarkdown(children)
    const url = typeof node.url === 'string' ? node.url : ''
    return text.trim() === '' ? url : `[${text}](${url})`
  }
  if (isBlock(node)) return toBlockLines(children, 0).join('\n')
  return toInlineMarkdown(children)
}

function leafToMarkdown(leaf: RichTextNode): string {
  let text = leaf.text ?? ''
  if (leaf.code) text = wrapKeepingSpaces(text, '`', '`')
  if (leaf.strikethrough) text = wrapKeepingSpaces(text, '~~', '~~')
  if (leaf.underline) text = wrapKeepingSpaces(text, '<u>', '</u>')
  if (leaf.italic) text = wrapKeepingSpaces(text, '_', '_')
  if (leaf.bold) text = wrapKeepingSpaces(text, '**', '**')
  return text
}

// `** x **` is not Markdown bold: markers go around the text, surrounding spaces stay outside.
function wrapKeepingSpaces(text: string, opening: string, closing: string): string {
  // Index scans: a lazy regex here took quadratic time on long runs of spaces.
  let start = 0
  while (start < text.length && isSpace(text[start])) start++
  let end = text.length
  while (end > start && isSpace(text[end - 1])) end--
  if (start === end) return text
  return `${text.slice(0, start)}${opening}${text.slice(start, end)}${closing}${text.slice(end)}`
}

function isSpace(character: string | undefined): boolean {
  return character !== undefined && /\s/.test(character)
}

function plainText(node: RichTextNode): string {
  if (isLeaf(node)) return node.text ?? ''
  return (node.children ?? []).map((child) => plainText(child)).join('')
}
