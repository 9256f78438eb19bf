/**
 * URLs from a flow or a variable reach links, images and frames only through these checks:
 * `javascript:`, `data:text/html` and friends are refused, relative URLs resolve against the page.
 */

const linkProtocols = new Set(['http:', 'https:', 'mailto:', 'tel:'])
const webProtocols = new Set(['http:', 'https:'])

export function toSafeLinkHref(url: string | undefined, base: string): string | undefined {
  const parsed = parseUrl(url, base)
  return parsed && linkProtocols.has(parsed.protocol) ? parsed.href : undefined
}

/** Images, audio and video: web URLs, and inline images (`data:image/...`, not SVG documents with scripts). */
export function toSafeMediaUrl(url: string | undefined, base: string): string | undefined {
  const parsed = parseUrl(url, base)
  if (!parsed) return undefined
  if (webProtocols.has(parsed.protocol)) return parsed.href
  if (parsed.protocol === 'data:' && /^data:image\/(png|jpe?g|gif|webp|avif|svg\+xml)[;,]/i.test(parsed.href)) return parsed.href
  return undefined
}

/** Frames and redirects: web URLs only. */
export function toSafeWebUrl(url: string | undefined, base: string): string | undefined {
  const parsed = parseUrl(url, base)
  return parsed && webProtocols.has(parsed.protocol) ? parsed.href : undefined
}

/** Typebot lets authors write `google.com`: a bare host gets https://, as Typebot's client does. */
export function withDefaultScheme(url: string): string {
  const trimmed = url.trim()
  if (/^[a-z][a-z0-9+.-]*:/i.test(trimmed) || trimmed.startsWith('/') || trimmed.startsWith('.')) return trimmed
  return `https://${trimmed}`
}

function parseUrl(url: string | undefined, base: string): URL | undefined {
  if (typeof url !== 'string' || url.trim() === '') return undefined
  try {
    return new URL(url.trim(), base)
  } catch {
    return undefined
  }
}
