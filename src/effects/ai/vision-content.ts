/**
 * For models that read images, a user message is split on blank lines and each paragraph that is
 * an http(s) URL (or a JSON list of them, as file inputs store several files) becomes an image
 * when the URL answers with an image, as Typebot does. The URLs are checked through the guarded
 * fetch: a conversation cannot make botflow reach a private address.
 */
import type { ModelMessage, UserContent } from 'ai'
import type { AiMessage } from '../../engine/ai-call.js'

export async function toModelMessages(messages: AiMessage[], isVisionEnabled: boolean, fetcher: typeof fetch): Promise<ModelMessage[]> {
  return Promise.all(
    messages.map(async (message): Promise<ModelMessage> => {
      if (message.role !== 'user' || !isVisionEnabled || !/(^|\n\n)\[?"?https?:/.test(message.content)) {
        return { role: message.role, content: message.content }
      }
      return { role: 'user', content: await toUserContent(message.content, fetcher) }
    }),
  )
}

type Part = { type: 'text'; text: string } | { type: 'image'; image: URL }

async function toUserContent(text: string, fetcher: typeof fetch): Promise<UserContent> {
  const parts: Part[] = []
  for (const paragraph of text.split('\n\n')) {
    const urls = readUrls(paragraph)
    if (!urls) {
      appendText(parts, paragraph)
      continue
    }
    for (const url of urls) {
      if (await isImage(url, fetcher)) parts.push({ type: 'image', image: new URL(url) })
      else appendText(parts, url)
    }
  }
  return parts
}

function readUrls(paragraph: string): string[] | undefined {
  if (paragraph.startsWith('http')) return [paragraph.trim()]
  if (!paragraph.startsWith('["http')) return undefined
  try {
    const parsed: unknown = JSON.parse(paragraph)
    return Array.isArray(parsed) ? parsed.filter((url): url is string => typeof url === 'string').map((url) => url.trim()) : undefined
  } catch {
    return undefined
  }
}

function appendText(parts: Part[], text: string) {
  const last = parts.at(-1)
  if (last?.type === 'text') last.text = `${last.text}\n\n${text}`
  else parts.push({ type: 'text', text })
}

async function isImage(url: string, fetcher: typeof fetch): Promise<boolean> {
  try {
    const response = await fetcher(url)
    await response.body?.cancel()
    return response.ok && (response.headers.get('content-type') ?? '').startsWith('image/')
  } catch {
    return false
  }
}
