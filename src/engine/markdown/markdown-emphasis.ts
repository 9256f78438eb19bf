/**
 * CommonMark's "process emphasis": pairs delimiter runs into emphasis, strong emphasis and (GFM)
 * strikethrough. The lowest opener worth looking at is remembered per kind of closer, so every
 * delimiter is visited a bounded number of times: linear, however many runs a text holds.
 */
import type { Delimiter, InlineList, InlineNode } from './markdown-inlines.js'

/** Resolves the delimiters above `bottom` (all of them when undefined), `top` being the last one. */
export function resolveEmphasis(list: InlineList, top: Delimiter | undefined, bottom: Delimiter | undefined): void {
  let closer = firstAbove(top, bottom)
  // By position in the text, not by identity: the delimiter that was the bottom may be gone since.
  const bottomPosition = bottom?.position ?? -1
  const openersBottom = new Map<string, number>()
  while (closer) {
    if (!closer.canClose) {
      closer = closer.next
      continue
    }
    const key = `${closer.character}${closer.canOpen ? 1 : 0}${closer.originalCount % 3}`
    const lowest = Math.max(openersBottom.get(key) ?? bottomPosition, bottomPosition)
    let opener = closer.prev
    while (opener && opener.position > lowest && !isMatch(opener, closer)) opener = opener.prev
    if (!opener || opener.position <= lowest) {
      openersBottom.set(key, closer.position - 1)
      const next: Delimiter | undefined = closer.next
      if (!closer.canOpen) removeDelimiter(closer)
      closer = next
      continue
    }
    const used = closer.character === '~' ? closer.count : closer.count >= 2 && opener.count >= 2 ? 2 : 1
    wrap(opener.node, closer.node, closer.character === '~' ? 'del' : used === 2 ? 'strong' : 'em')
    opener.count -= used
    closer.count -= used
    opener.node.text = opener.node.text.slice(0, opener.count)
    closer.node.text = closer.node.text.slice(used)
    // Delimiters between the two are inside the new emphasis now: they stay text.
    let between = opener.next
    while (between && between !== closer) {
      const next: Delimiter | undefined = between.next
      removeDelimiter(between)
      between = next
    }
    if (opener.count === 0) {
      removeNode(list, opener.node)
      removeDelimiter(opener)
    }
    if (closer.count === 0) {
      const next: Delimiter | undefined = closer.next
      removeNode(list, closer.node)
      removeDelimiter(closer)
      closer = next
    }
  }
  // Whatever did not pair stays text.
  let left = firstAbove(top, bottom)
  while (left) {
    const next: Delimiter | undefined = left.next
    removeDelimiter(left)
    left = next
  }
}

function isMatch(opener: Delimiter, closer: Delimiter): boolean {
  if (opener.character !== closer.character || !opener.canOpen) return false
  if (closer.character === '~') return opener.count === closer.count
  // The rule of three: `*foo**bar*` does not pair the single with the double run.
  const isBothFlanking = closer.canOpen || opener.canClose
  const sum = opener.originalCount + closer.originalCount
  return !(isBothFlanking && sum % 3 === 0 && !(opener.originalCount % 3 === 0 && closer.originalCount % 3 === 0))
}

function firstAbove(top: Delimiter | undefined, bottom: Delimiter | undefined): Delimiter | undefined {
  let first: Delimiter | undefined
  for (let delimiter = top; delimiter && delimiter !== bottom; delimiter = delimiter.prev) first = delimiter
  return first
}

function removeDelimiter(delimiter: Delimiter): void {
  if (delimiter.prev) delimiter.prev.next = delimiter.next
  if (delimiter.next) delimiter.next.prev = delimiter.prev
  delimiter.prev = undefined
  delimiter.next = undefined
}

/** Moves the nodes strictly between `opener` and `closer` into a new container between them. */
function wrap(opener: InlineNode, closer: InlineNode, kind: 'strong' | 'em' | 'del'): void {
  const container: InlineNode = { kind, text: '', prev: opener, next: closer }
  const first = opener.next
  if (first && first !== closer) {
    container.first = first
    container.last = closer.prev
    first.prev = undefined
    if (container.last) container.last.next = undefined
  }
  opener.next = container
  closer.prev = container
}

function removeNode(list: InlineList, node: InlineNode): void {
  if (node.prev) node.prev.next = node.next
  else list.first = node.next
  if (node.next) node.next.prev = node.prev
  else list.last = node.prev
}
