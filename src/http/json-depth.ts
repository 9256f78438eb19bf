/** Nesting allowed in a JSON body: Typebot exports go about 12 levels deep, an import request 14. */
export const maxJsonDepth = 64

const quote = 0x22
const backslash = 0x5c
const openBrace = 0x7b
const closeBrace = 0x7d
const openBracket = 0x5b
const closeBracket = 0x5d

/**
 * Whether `text` nests arrays and objects deeper than `maxDepth`. One pass over the characters,
 * before anything parses or walks the value, so a deep body costs its length and nothing more.
 * Brackets inside strings do not count; malformed text is left to the parser.
 */
export function exceedsJsonDepth(text: string, maxDepth = maxJsonDepth): boolean {
  // Going over the limit takes more than `maxDepth` opening brackets.
  if (text.length <= maxDepth) return false
  let depth = 0
  let isInString = false
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index)
    if (isInString) {
      if (code === backslash) index++
      else if (code === quote) isInString = false
    } else if (code === quote) {
      isInString = true
    } else if (code === openBrace || code === openBracket) {
      if (++depth > maxDepth) return true
    } else if (code === closeBrace || code === closeBracket) {
      depth--
    }
  }
  return false
}
