import { toSafeMediaUrl } from './safe-url.js'
import type { VideoContent } from './wire-types.js'

export type VideoSource = { kind: 'file'; url: string } | { kind: 'frame'; url: string }

/** Player URLs of the providers the server recognises (docs/runtime.md §6.1.3). */
const playerUrls: Record<string, string> = {
  youtube: 'https://www.youtube.com/embed/',
  vimeo: 'https://player.vimeo.com/video/',
  tiktok: 'https://www.tiktok.com/embed/v2/',
  gumlet: 'https://play.gumlet.io/embed/',
}

/** A `<video>` file or a provider's player frame; undefined when nothing safe can be shown. */
export function toVideoSource(content: VideoContent, baseUrl: string): VideoSource | undefined {
  const player = content.type ? playerUrls[content.type] : undefined
  if (player) {
    if (!content.id || !/^[A-Za-z0-9_-]+$/.test(content.id)) return undefined
    return { kind: 'frame', url: `${player}${content.id}${toQueryString(content.queryParamsStr)}` }
  }
  const url = toSafeMediaUrl(content.url, baseUrl)
  return url && !url.startsWith('data:') ? { kind: 'file', url } : undefined
}

/** Rebuilds the query so nothing but parameters can reach the player URL. */
function toQueryString(queryParamsStr: string | undefined): string {
  if (!queryParamsStr) return ''
  const params = new URLSearchParams(queryParamsStr.replace(/^\?/, ''))
  const query = params.toString()
  return query ? `?${query}` : ''
}
