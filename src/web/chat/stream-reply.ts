/**
 * Reads the answer `streamMessage` streams (the AI SDK data-stream lines: `0:"text"`, `3:"error"`,
 * `d:{...}`), calling `onText` with the whole text so far each time it grows. An error line marks
 * the answer failed (the server already logged why).
 */
export type StreamedAnswer = { text: string; isFailed: boolean }

export async function readDataStream(body: ReadableStream<Uint8Array>, onText: (text: string) => void): Promise<StreamedAnswer> {
  const reader = body.getReader()
  const decoder = new TextDecoder()
  let pending = ''
  let text = ''
  let isFailed = false
  const readLine = (line: string) => {
    const separator = line.indexOf(':')
    if (separator === -1) return
    const code = line.slice(0, separator)
    if (code === '3') isFailed = true
    if (code !== '0') return
    const part = parseJson(line.slice(separator + 1))
    if (typeof part !== 'string' || part === '') return
    text += part
    onText(text)
  }
  try {
    for (;;) {
      const { value, done } = await reader.read()
      if (done) break
      pending += decoder.decode(value, { stream: true })
      const lines = pending.split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) readLine(line)
    }
    readLine(pending + decoder.decode())
  } catch {
    // The connection broke: what arrived is kept.
    isFailed = true
  }
  return { text, isFailed }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
