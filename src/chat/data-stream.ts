/**
 * The AI SDK "data stream" line protocol that Typebot's web embed reads from `streamMessage`
 * (runtime spec §3.7): one `<code>:<JSON>\n` line per part. botflow sends text parts, an error
 * part whose string is the JSON of a log (the embed parses it back), and a finish part.
 */
export function textPart(text: string): string {
  return `0:${JSON.stringify(text)}\n`
}

export function errorPart(log: { status?: string; description: string; details?: string; context?: string }): string {
  return `3:${JSON.stringify(JSON.stringify(log))}\n`
}

export function finishPart(finishReason: 'stop' | 'error'): string {
  return `d:${JSON.stringify({ finishReason })}\n`
}
