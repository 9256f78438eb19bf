/**
 * Reply matching of buttons and picture choices (§6.2.8), on the items the client displayed.
 */
import type { ParsedReply } from '../../block-handler.js'

const MAX_MULTIPLE_CHOICE_REPLY_CHARS = 10_000

/** An item as matching sees it: `content` is the label (a picture's title, else its source). */
export type MatchableItem = { id: string; content: string; value?: string; outgoingEdgeId?: string }

/**
 * Single choice: longest labels first, the first item whose id is the reply id or the text, or
 * whose trimmed value or label equals the trimmed text (case-sensitive).
 */
export function parseSingleChoice(items: MatchableItem[], text: string, replyId: string | undefined): ParsedReply {
  const trimmed = text.trim()
  const match = byLongestContent(items).find(
    (item) =>
      item.id === replyId ||
      item.id === text ||
      (isFilled(item.value) && item.value.trim() === trimmed) ||
      (isFilled(item.content) && item.content.trim() === trimmed),
  )
  if (!match) return { status: 'fail' }
  const content = answerOf(match)
  if (content === '') return { status: 'fail' }
  return match.outgoingEdgeId ? { status: 'success', content, outgoingEdgeId: match.outgoingEdgeId } : { status: 'success', content }
}

/**
 * Multiple choice: the reply is consumed in passes (ids, values, labels, then 1-based
 * positions), each match being a whole, case-insensitive phrase removed from the text. The
 * answer lists the matched items in display order, joined by ", ".
 */
export function parseMultipleChoice(items: MatchableItem[], text: string): ParsedReply {
  // Each item is searched for in the reply: a reply no one types keeps that bounded.
  if (text.length > MAX_MULTIPLE_CHOICE_REPLY_CHARS) return { status: 'fail' }
  let remaining = text
  const matchedIds = new Set<string>()
  const consume = (item: MatchableItem, candidate: string | undefined) => {
    if (matchedIds.has(item.id) || !isFilled(candidate)) return
    const rest = removePhrase(remaining, candidate)
    if (rest === undefined) return
    remaining = rest
    matchedIds.add(item.id)
  }
  const longestFirst = byLongestContent(items)
  for (const item of longestFirst) consume(item, item.id)
  for (const item of longestFirst) consume(item, item.value)
  for (const item of longestFirst) consume(item, item.content)
  items.forEach((item, index) => consume(item, String(index + 1)))
  if (matchedIds.size === 0) return { status: 'fail' }
  const answers = items.filter((item) => matchedIds.has(item.id)).map((item) => answerOf(item))
  return { status: 'success', content: answers.join(', ') }
}

function answerOf(item: MatchableItem): string {
  return isFilled(item.value) ? item.value : item.content.trim()
}

function byLongestContent(items: MatchableItem[]): MatchableItem[] {
  return [...items].sort((left, right) => right.content.length - left.content.length)
}

function isFilled(text: string | undefined): text is string {
  return text !== undefined && text.trim() !== ''
}

/** The text without the first whole-phrase occurrence of `phrase`; undefined when absent. */
function removePhrase(text: string, phrase: string): string | undefined {
  const words = phrase.trim().split(/\s+/).map(escapeRegExp)
  // Bounded by the text's ends or by anything that is not a letter, digit or combining mark.
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}\\p{M}])${words.join('\\s+')}(?![\\p{L}\\p{N}\\p{M}])`, 'iu')
  const match = pattern.exec(text)
  if (!match) return undefined
  return `${text.slice(0, match.index)} ${text.slice(match.index + match[0].length)}`
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
