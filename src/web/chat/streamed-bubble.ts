import { markdownToRichText } from '../../engine/markdown-to-rich-text.js'
import { element } from './chat-view.js'
import { renderRichText } from './render-rich-text.js'

export type StreamedBubble = {
  node: HTMLElement
  /** The whole answer so far; drawn at the next frame, so a burst of chunks costs one render. */
  update(text: string): void
  /** Draws the last text now. */
  finish(): void
}

/**
 * The bubble a streamed AI answer grows in, rendered as the server renders a Markdown value in an
 * ordinary bubble: the same reader (linear time) and the same DOM builder (no HTML from the
 * text ever becomes markup). Each render reads the whole text again: an unfinished `**` shows as
 * it is until its closing half arrives.
 */
export function createStreamedBubble(baseUrl: string, onDrawn: () => void): StreamedBubble {
  const node = element('div', 'bf-streamed')
  let text = ''
  let frame: number | undefined
  const draw = () => {
    frame = undefined
    node.replaceChildren(renderRichText(markdownToRichText(text), baseUrl))
    onDrawn()
  }
  return {
    node,
    update(next) {
      const isFirst = text === ''
      text = next
      // The first words show at once (the bubble appears with them); later ones at the next frame.
      if (isFirst) draw()
      else frame ??= requestAnimationFrame(draw)
    },
    finish() {
      if (frame !== undefined) cancelAnimationFrame(frame)
      draw()
    },
  }
}
