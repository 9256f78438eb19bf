/**
 * JSON text helpers for request bodies. Bodies are re-emitted from their own text rather than
 * from `JSON.parse` output, so integers beyond 2^53 reach the server unchanged (§7.1.2).
 */

import { parseUserJson } from '../../../json-record.js'

export type ParsedJsonText = { value: unknown; compactText: string }

/** The value and the whitespace-free text of a JSON document; undefined when it is not JSON. */
export function parseJsonText(text: string): ParsedJsonText | undefined {
  const parsed = parseUserJson(text)
  return parsed && { value: parsed.value, compactText: removeInsignificantWhitespace(text) }
}

/** Drops whitespace outside string literals; only called on text `JSON.parse` accepted. */
function removeInsignificantWhitespace(json: string): string {
  let result = ''
  let isInString = false
  for (let index = 0; index < json.length; index++) {
    const character = json[index]
    if (isInString) {
      result += character
      if (character === '\\') result += json[++index]
      else if (character === '"') isInString = false
    } else if (character === '"') {
      isInString = true
      result += character
    } else if (character !== ' ' && character !== '\n' && character !== '\r' && character !== '\t') {
      result += character
    }
  }
  return result
}
