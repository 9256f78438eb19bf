import { toSafeLinkHref } from './safe-url.js'
import type { RichTextNode } from './wire-types.js'

/** Plate element types and the tags they become; anything else renders as a plain block. */
const elementTags: Record<string, keyof HTMLElementTagNameMap> = {
  p: 'p',
  ol: 'ol',
  ul: 'ul',
  li: 'li',
  lic: 'span',
  blockquote: 'blockquote',
  h1: 'h3',
  h2: 'h4',
  h3: 'h5',
  h4: 'h6',
  h5: 'h6',
  h6: 'h6',
  code_block: 'pre',
  code_line: 'div',
  hr: 'hr',
}

/**
 * Rich text to DOM, built with createElement and text nodes only: text from a flow or a
 * variable can never become markup.
 */
export function renderRichText(nodes: RichTextNode[], baseUrl: string): DocumentFragment {
  const fragment = document.createDocumentFragment()
  for (const node of nodes) fragment.append(renderNode(node, baseUrl))
  return fragment
}

function renderNode(node: RichTextNode, baseUrl: string): Node {
  if (typeof node.text === 'string' && !Array.isArray(node.children)) return renderLeaf(node)
  const children = Array.isArray(node.children) ? node.children : []
  if (node.type === 'a') return renderLink(node, children, baseUrl)
  const element = document.createElement(elementTags[node.type ?? ''] ?? 'div')
  if (element.tagName === 'HR') return element
  for (const child of children) element.append(renderNode(child, baseUrl))
  // An empty paragraph is a blank line in the editor: keep its height.
  if (element.tagName === 'P' && element.textContent === '' && element.childElementCount === 0) element.append(document.createElement('br'))
  return element
}

function renderLink(node: RichTextNode, children: RichTextNode[], baseUrl: string): Node {
  const href = toSafeLinkHref(node.url, baseUrl)
  const element = document.createElement(href ? 'a' : 'span')
  if (element instanceof HTMLAnchorElement && href) {
    element.href = href
    element.target = '_blank'
    element.rel = 'noopener noreferrer'
  }
  for (const child of children) element.append(renderNode(child, baseUrl))
  if (element.textContent === '' && href) element.textContent = href
  return element
}

function renderLeaf(leaf: RichTextNode): Node {
  let node: Node = renderTextWithBreaks(leaf.text ?? '')
  const marks: [boolean | undefined, keyof HTMLElementTagNameMap][] = [
    [leaf.code, 'code'],
    [leaf.strikethrough, 's'],
    [leaf.underline, 'u'],
    [leaf.italic, 'em'],
    [leaf.bold, 'strong'],
  ]
  for (const [isOn, tag] of marks) {
    if (!isOn) continue
    const wrapper = document.createElement(tag)
    wrapper.append(node)
    node = wrapper
  }
  return node
}

function renderTextWithBreaks(text: string): Node {
  const lines = text.split('\n')
  if (lines.length === 1) return document.createTextNode(text)
  const fragment = document.createDocumentFragment()
  lines.forEach((line, index) => {
    if (index > 0) fragment.append(document.createElement('br'))
    if (line !== '') fragment.append(document.createTextNode(line))
  })
  return fragment
}

/** The words a reader sees, for the typing delay and for empty-bubble checks. */
export function toPlainText(nodes: RichTextNode[]): string {
  return nodes
    .map((node) => (typeof node.text === 'string' ? node.text : toPlainText(Array.isArray(node.children) ? node.children : [])))
    .join(' ')
}
