import { describe, expect, it } from 'vitest'
import { readDataStream } from './stream-reply.js'

function streamOf(chunks: string[], options: { breakAfter?: boolean } = {}): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  const queue = [...chunks]
  return new ReadableStream({
    pull(controller) {
      const chunk = queue.shift()
      if (chunk !== undefined) controller.enqueue(encoder.encode(chunk))
      else if (options.breakAfter) controller.error(new Error('connection reset'))
      else controller.close()
    },
  })
}

describe('readDataStream', () => {
  it('joins text parts, even split across chunks, and reports the text so far as it grows', async () => {
    const seen: string[] = []
    const answer = await readDataStream(streamOf(['0:"Hel', 'lo"\n0:" wor', 'ld ✓"\n', 'd:{"finishReason":"stop"}\n']), (text) =>
      seen.push(text),
    )
    expect(answer).toEqual({ text: 'Hello world ✓', isFailed: false })
    expect(seen).toEqual(['Hello', 'Hello world ✓'])
  })

  it('marks an answer with an error part, or a broken connection, as failed and keeps what came', async () => {
    const withError = await readDataStream(streamOf(['0:"Part"\n', `3:${JSON.stringify('{"description":"boom"}')}\n`]), () => undefined)
    expect(withError).toEqual({ text: 'Part', isFailed: true })
    const broken = await readDataStream(streamOf(['0:"Half"\n'], { breakAfter: true }), () => undefined)
    expect(broken).toEqual({ text: 'Half', isFailed: true })
  })
})
