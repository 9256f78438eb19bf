/** Parsing and narrowing helpers for JSON, shared by the engine, the shell and the routes (pure). */

/** A JSON object: not null, not an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A shallow copy of a JSON object, or `{}` for anything else: for reading optional settings. */
export function recordOf(value: unknown): Record<string, unknown> {
  return isRecord(value) ? { ...value } : {}
}

/*
 * JSON.parse for text that users send (replies, values, response bodies, sandbox results).
 * Arrays and objects nested deeper than a limit are refused: V8 parses them, but
 * `JSON.stringify`, `String()` and structured cloning of the result overflow the stack later.
 */

/** Deeper than any real payload; Typebot's clients never nest this far. */
export const MAX_JSON_DEPTH = 64

/** The parsed value; undefined when the text is not JSON or nests deeper than `maxDepth`. */
export function parseUserJson(text: string, maxDepth = MAX_JSON_DEPTH): { value: unknown } | undefined {
  if (exceedsDepth(text, maxDepth)) return undefined
  try {
    return { value: JSON.parse(text) }
  } catch {
    return undefined
  }
}

// One pass over the text; brackets inside string literals do not count.
function exceedsDepth(text: string, maxDepth: number): boolean {
  let depth = 0
  let isInString = false
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index)
    if (isInString) {
      if (code === 92 /* \ */) index++
      else if (code === 34 /* " */) isInString = false
    } else if (code === 34) {
      isInString = true
    } else if (code === 91 /* [ */ || code === 123 /* { */) {
      if (++depth > maxDepth) return true
    } else if (code === 93 /* ] */ || code === 125 /* } */) {
      depth--
    }
  }
  return false
}
