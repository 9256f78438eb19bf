import { describe, expect, it } from 'vitest'
import { toVideoSource } from './video-source.js'

const base = 'https://bots.example.com/demo'

describe('video bubbles', () => {
  it.each([
    [
      { type: 'youtube', id: 'dQw4w9WgXcQ', url: 'youtube.com/watch?v=dQw4w9WgXcQ' },
      { kind: 'frame', url: 'https://www.youtube.com/embed/dQw4w9WgXcQ' },
    ],
    [
      { type: 'youtube', id: 'abc', queryParamsStr: '?start=30' },
      { kind: 'frame', url: 'https://www.youtube.com/embed/abc?start=30' },
    ],
    [
      { type: 'vimeo', id: '123456' },
      { kind: 'frame', url: 'https://player.vimeo.com/video/123456' },
    ],
    [
      { type: 'tiktok', id: '789' },
      { kind: 'frame', url: 'https://www.tiktok.com/embed/v2/789' },
    ],
    [
      { type: 'gumlet', id: 'x1' },
      { kind: 'frame', url: 'https://play.gumlet.io/embed/x1' },
    ],
    [
      { type: 'url', url: 'https://cdn.example.com/clip.mp4' },
      { kind: 'file', url: 'https://cdn.example.com/clip.mp4' },
    ],
    [{ url: 'https://cdn.example.com/clip.mp4' }, { kind: 'file', url: 'https://cdn.example.com/clip.mp4' }],
    [{ type: 'youtube', id: '"><script>' }, undefined],
    [
      { type: 'youtube', id: 'abc', queryParamsStr: '?a="><b' },
      { kind: 'frame', url: 'https://www.youtube.com/embed/abc?a=%22%3E%3Cb' },
    ],
    [{ type: 'url', url: 'javascript:alert(1)' }, undefined],
    [{}, undefined],
  ])('%j -> %j', (content, expected) => {
    expect(toVideoSource(content, base)).toEqual(expected)
  })
})
