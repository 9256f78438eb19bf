import { element } from './chat-view.js'
import { renderRichText, toPlainText } from './render-rich-text.js'
import { toSafeLinkHref, toSafeMediaUrl, toSafeWebUrl } from './safe-url.js'
import { countWords } from './typing-delay.js'
import { toVideoSource } from './video-source.js'
import type { ChatMessage, EmbedContent } from './wire-types.js'

export type RenderedBubble = {
  node: Node
  isMedia: boolean
  /** Words shown, for the typing delay. */
  wordCount: number
  /** Nothing to show (a text bubble whose variables were all empty). */
  isEmpty: boolean
  /** The frame of an embed bubble, whose messages a waiting embed listens to. */
  frame?: HTMLIFrameElement
}

type Renderer<T extends ChatMessage['type']> = (message: Extract<ChatMessage, { type: T }>, baseUrl: string) => RenderedBubble

const renderers: { [T in ChatMessage['type']]: Renderer<T> } = {
  text(message, baseUrl) {
    if (message.content.type === 'markdown') {
      // The page asks for rich text; Markdown from another client's session shows as plain text.
      const node = element('p', undefined, message.content.markdown)
      return { node, isMedia: false, wordCount: countWords(message.content.markdown), isEmpty: message.content.markdown.trim() === '' }
    }
    const richText = Array.isArray(message.content.richText) ? message.content.richText : []
    const plain = toPlainText(richText)
    return { node: renderRichText(richText, baseUrl), isMedia: false, wordCount: countWords(plain), isEmpty: plain.trim() === '' }
  },

  image(message, baseUrl) {
    const url = toSafeMediaUrl(message.content.url, baseUrl)
    if (!url) return empty()
    const image = element('img', 'bf-image')
    image.src = url
    image.alt = message.content.clickLink?.alt ?? 'Image'
    image.loading = 'lazy'
    const link = toSafeLinkHref(message.content.clickLink?.url, baseUrl)
    if (!link) return media(image)
    const anchor = element('a')
    anchor.href = link
    anchor.target = '_blank'
    anchor.rel = 'noopener noreferrer'
    anchor.append(image)
    return media(anchor)
  },

  video(message, baseUrl) {
    const source = toVideoSource(message.content, baseUrl)
    if (!source) return empty()
    const { content } = message
    if (source.kind === 'frame') {
      const frame = element('iframe', 'bf-video-frame')
      frame.src = source.url
      frame.title = 'Video'
      frame.allow = 'autoplay; fullscreen; picture-in-picture; encrypted-media'
      frame.setAttribute('allowfullscreen', '')
      frame.referrerPolicy = 'strict-origin-when-cross-origin'
      frame.style.aspectRatio = toAspectRatio(content.aspectRatio)
      frame.style.maxWidth = toCssLength(content.maxWidth) ?? '100%'
      return media(frame)
    }
    const video = element('video', 'bf-video')
    video.src = source.url
    video.controls = content.areControlsDisplayed ?? true
    video.autoplay = content.isAutoplayEnabled ?? true
    video.playsInline = true
    video.preload = 'metadata'
    video.style.maxWidth = toCssLength(content.maxWidth) ?? '100%'
    return media(video)
  },

  audio(message, baseUrl) {
    const url = toSafeMediaUrl(message.content.url, baseUrl)
    if (!url || url.startsWith('data:')) return empty()
    const audio = element('audio', 'bf-audio')
    audio.src = url
    audio.controls = true
    audio.autoplay = message.content.isAutoplayEnabled ?? true
    return media(audio)
  },

  embed(message, baseUrl) {
    const frame = renderEmbedFrame(message.content, baseUrl)
    return frame ? { ...media(frame), frame } : empty()
  },

  // Forged blocks' own embeds need their init code (Cal.com and the like): not run by this page.
  'custom-embed': () => empty(),
}

/** The DOM of one bot message; unsafe or unknown content renders as nothing rather than breaking the chat. */
export function renderBubble(message: ChatMessage, baseUrl: string): RenderedBubble {
  const renderer = renderers[message.type] as Renderer<typeof message.type> | undefined
  return renderer ? renderer(message, baseUrl) : empty()
}

/** An embed bubble: a sandboxed frame of a web URL. `javascript:` and `data:` URLs are refused. */
function renderEmbedFrame(content: EmbedContent, baseUrl: string): HTMLIFrameElement | undefined {
  const url = toSafeWebUrl(content.url, baseUrl)
  if (!url) return undefined
  const frame = element('iframe', 'bf-embed-frame')
  const isOtherOrigin = new URL(url).origin !== new URL(baseUrl).origin
  // Same-origin rights only for other sites: a frame of this server must not script the chat.
  frame.setAttribute(
    'sandbox',
    `allow-scripts allow-forms allow-popups allow-popups-to-escape-sandbox allow-presentation${isOtherOrigin ? ' allow-same-origin' : ''}`,
  )
  frame.src = url
  frame.title = 'Embedded content'
  frame.style.height = toCssLength(content.height) ?? '400px'
  return frame
}

function media(node: Node): RenderedBubble {
  return { node, isMedia: true, wordCount: 0, isEmpty: false }
}

function empty(): RenderedBubble {
  return { node: document.createDocumentFragment(), isMedia: false, wordCount: 0, isEmpty: true }
}

/** `400`, `"400"`, `"50%"`, `"20rem"`: a length; anything else is ignored. */
function toCssLength(value: number | string | undefined): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return `${value}px`
  if (typeof value !== 'string') return undefined
  const trimmed = value.trim()
  if (/^\d+(\.\d+)?$/.test(trimmed)) return `${trimmed}px`
  return /^\d+(\.\d+)?(px|%|rem|em|vh|vw)$/.test(trimmed) ? trimmed : undefined
}

function toAspectRatio(value: string | undefined): string {
  return value && /^\d+(\.\d+)?\s*\/\s*\d+(\.\d+)?$/.test(value.trim()) ? value.trim() : '16 / 9'
}
