import { describe, expect, it } from 'vitest'
import { toSafeLinkHref, toSafeMediaUrl, toSafeWebUrl, withDefaultScheme } from './safe-url.js'

const base = 'https://bots.example.com/demo'

describe('URLs from flows', () => {
  it.each([
    ['https://typebot.io', 'https://typebot.io/', 'https://typebot.io/', 'https://typebot.io/'],
    ['/api/docs', 'https://bots.example.com/api/docs', 'https://bots.example.com/api/docs', 'https://bots.example.com/api/docs'],
    ['mailto:me@example.com', 'mailto:me@example.com', undefined, undefined],
    ['tel:+33612345678', 'tel:+33612345678', undefined, undefined],
    ['javascript:alert(1)', undefined, undefined, undefined],
    [' JavaScript:alert(1)', undefined, undefined, undefined],
    ['data:text/html,<script>alert(1)</script>', undefined, undefined, undefined],
    ['data:image/png;base64,AAAA', undefined, 'data:image/png;base64,AAAA', undefined],
    ['vbscript:msgbox', undefined, undefined, undefined],
    ['', undefined, undefined, undefined],
    [undefined, undefined, undefined, undefined],
  ])('%s -> link %s, media %s, frame %s', (url, link, media, frame) => {
    expect(toSafeLinkHref(url, base)).toBe(link)
    expect(toSafeMediaUrl(url, base)).toBe(media)
    expect(toSafeWebUrl(url, base)).toBe(frame)
  })

  it.each([
    ['google.com', 'https://google.com'],
    ['http://google.com', 'http://google.com'],
    ['/relative', '/relative'],
    ['javascript:alert(1)', 'javascript:alert(1)'],
  ])('a redirect to %s goes to %s', (url, expected) => {
    expect(withDefaultScheme(url)).toBe(expected)
  })
})
