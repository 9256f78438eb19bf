/**
 * Bubble blocks (§6.1): each turns into one chat message, variables substituted. Only the
 * fields the Chat API documents for a message go on the wire.
 */

import { parseUserJson } from '../../json-record.js'
import type {
  AudioBubbleBlock,
  BubbleBlock,
  EmbedBubbleBlock,
  ImageBubbleBlock,
  TextBubbleBlock,
  VideoBubbleBlock,
} from '../../schemas/blocks/bubbles.js'
import type { BlockContext, BubbleHandler, ExecutionResult } from '../block-handler.js'
import { richTextToMarkdown, substituteRichText } from '../rich-text.js'
import { applyVariableUpdates } from '../state.js'
import type { ChatMessage, Effectful } from '../types.js'
import { normalizeValue, substituteDeep } from '../variables.js'

type BubbleHandlers = { [Type in BubbleBlock['type']]: BubbleHandler<Extract<BubbleBlock, { type: Type }>> }

const textBubbleHandler: BubbleHandler<TextBubbleBlock> = {
  family: 'bubble',
  *toMessage(block, ctx) {
    if (!block.content) return undefined
    const stored = block.content.richText
    // A content object without rich text still shows (an empty bubble), whatever the format.
    if (!stored) return { message: { id: block.id, type: 'text', content: { type: 'richText', richText: [] } } }
    const richText = yield* substituteRichText(stored, ctx.variables, { takeLatestIfList: isBeforeV6(ctx) })
    const content: Extract<ChatMessage, { type: 'text' }>['content'] =
      ctx.textBubbleContentFormat === 'markdown'
        ? { type: 'markdown', markdown: richTextToMarkdown(richText) }
        : { type: 'richText', richText }
    return { message: { id: block.id, type: 'text', content } }
  },
}

/** v3-v5 typebots show only the last element of a list variable in text bubbles (§5.2). */
function isBeforeV6(ctx: BlockContext): boolean {
  return Number(ctx.typebot.version) < 6
}

const imageBubbleHandler: BubbleHandler<ImageBubbleBlock> = {
  family: 'bubble',
  *toMessage(block, ctx) {
    if (!block.content) return undefined
    const { url, clickLink } = block.content
    const content = pickDefined({
      url,
      clickLink: clickLink && pickDefined({ url: clickLink.url, alt: clickLink.alt }),
    })
    return { message: { id: block.id, type: 'image', content: yield* substituteDeep(content, ctx.variables) } }
  },
}

const videoBubbleHandler: BubbleHandler<VideoBubbleBlock> = {
  family: 'bubble',
  *toMessage(block, ctx) {
    if (!block.content) return undefined
    const stored = block.content
    const content = yield* substituteDeep(
      pickDefined({
        url: stored.url,
        id: stored.id,
        type: stored.type,
        height: stored.height,
        aspectRatio: stored.aspectRatio,
        maxWidth: stored.maxWidth,
        queryParamsStr: stored.queryParamsStr,
        areControlsDisplayed: stored.areControlsDisplayed,
        isAutoplayEnabled: stored.isAutoplayEnabled,
      }),
      ctx.variables,
    )
    const classified = content.url ? { ...content, ...classifyVideoUrl(content.url) } : content
    return { message: { id: block.id, type: 'video', content: pickDefined(classified) } }
  },
}

type VideoSource = { type: 'url' | 'youtube' | 'vimeo' | 'tiktok' | 'gumlet'; url: string; id?: string; queryParamsStr?: string }

const youtubePattern = /youtube\.com\/(?:watch\?v=|shorts\/)([\w-]+)|youtu\.be\/([\w-]+)(\?.+)?/
const vimeoPattern = /vimeo\.com\/(\d+)/
const tiktokPattern = /tiktok\.com\/@[\w.-]+\/video\/(\d+)/
const gumletPattern = /gumlet\.(?:com|tv)\/watch\/(\w+)/
const oneDrivePattern = /https:\/\/onedrive\.live\.com\/embed\?[^"]+/

/** §6.1.3: which player the client embeds, from the URL alone. */
export function classifyVideoUrl(url: string): VideoSource {
  const youtube = youtubePattern.exec(url)
  if (youtube) {
    const [fragment, watchId, shortLinkId, query] = youtube
    const source: VideoSource = { type: 'youtube', url: fragment, id: watchId ?? shortLinkId }
    // `queryParamsStr` is set (or cleared) for every YouTube link, like Typebot does.
    source.queryParamsStr = query ? toYoutubeEmbedQuery(query) : undefined
    return source
  }
  for (const [type, pattern] of [
    ['vimeo', vimeoPattern],
    ['tiktok', tiktokPattern],
    ['gumlet', gumletPattern],
  ] as const) {
    const match = pattern.exec(url)
    if (match) return { type, url: match[0], id: match[1] }
  }
  const oneDrive = oneDrivePattern.exec(url)
  if (oneDrive) return { type: 'url', url: oneDrive[0].replace('/embed', '/download') }
  return { type: 'url', url }
}

// Shared links carry the start time as `t`; the embedded player expects `start`.
function toYoutubeEmbedQuery(query: string): string {
  const params = new URLSearchParams(query)
  const start = params.get('t')
  if (start !== null) {
    params.delete('t')
    params.set('start', start)
  }
  return `?${params.toString()}`
}

const audioBubbleHandler: BubbleHandler<AudioBubbleBlock> = {
  family: 'bubble',
  *toMessage(block, ctx) {
    if (!block.content) return undefined
    const content = pickDefined({ url: block.content.url, isAutoplayEnabled: block.content.isAutoplayEnabled })
    return { message: { id: block.id, type: 'audio', content: yield* substituteDeep(content, ctx.variables) } }
  },
}

const embedBubbleHandler: BubbleHandler<EmbedBubbleBlock> = {
  family: 'bubble',
  *toMessage(block, ctx) {
    if (!block.content) return undefined
    const { url, height, waitForEvent } = block.content
    // The URL is not sanitised (a `javascript:` URL is sent as is): neutralising it is the client's job.
    const content = yield* substituteDeep(
      pickDefined({
        url,
        height,
        waitForEvent:
          waitForEvent &&
          pickDefined({
            isEnabled: waitForEvent.isEnabled,
            name: waitForEvent.name,
            saveDataInVariableId: waitForEvent.saveDataInVariableId,
          }),
      }),
      ctx.variables,
    )
    const message: ChatMessage = { id: block.id, type: 'embed', content }
    return waitForEvent?.isEnabled === true ? { message, isWaitingForReply: true } : { message }
  },
  /** The client posts the awaited event's data as text: it goes, JSON-parsed if possible, into the save variable. */
  *resume(block, text, ctx): Effectful<ExecutionResult> {
    const variableId = block.content?.waitForEvent?.saveDataInVariableId
    if (!variableId) return {}
    const { state, history } = applyVariableUpdates(ctx.state, [{ id: variableId, value: normalizeValue(parseJsonOrText(text)) }], block.id)
    return { state, setVariableHistory: history }
  },
}

function parseJsonOrText(text: string): unknown {
  const parsed = parseUserJson(text)
  return parsed === undefined ? text : parsed.value
}

/** Drops keys whose value is undefined, so absent fields stay absent on the wire. */
function pickDefined<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>
}

export const bubbleHandlers: BubbleHandlers = {
  text: textBubbleHandler,
  image: imageBubbleHandler,
  video: videoBubbleHandler,
  audio: audioBubbleHandler,
  embed: embedBubbleHandler,
}
