import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { type BubbleBlock, type TextBubbleBlock, textBubbleBlockSchema } from '../../schemas/blocks/bubbles.js'
import type { BubbleHandler } from '../block-handler.js'
import type { TextBubbleContentFormat, Variable } from '../types.js'
import { bubbleHandlers, classifyVideoUrl } from './bubbles.js'
import { createTestContext, run } from './inputs/test-context.js'

// The registry hands each handler its own block type; the tables below mix them.
const handlerOf = (type: BubbleBlock['type']) => bubbleHandlers[type] as BubbleHandler<BubbleBlock>

const mainFixture = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/reference/typebots/chat/main.json', import.meta.url), 'utf8'),
) as { groups: { blocks: { id: string; type: string }[] }[]; variables: Variable[] }
const mainTextBubble = (id: string): TextBubbleBlock =>
  textBubbleBlockSchema.parse(mainFixture.groups.flatMap((group) => group.blocks).find((block) => block.id === id))

const withValues = (values: Record<string, Variable['value']>): Variable[] =>
  mainFixture.variables.map((variable) => (variable.name in values ? { ...variable, value: values[variable.name] } : variable))

describe('text bubble (chat/main.json)', () => {
  it.each<[string, string, Record<string, Variable['value']>, TextBubbleContentFormat, unknown]>([
    [
      'splits the greeting around the name',
      'clauukoka000d3b6qxqi38cmk',
      { Name: 'John' },
      'richText',
      { type: 'richText', richText: [{ type: 'p', children: [{ text: 'Nice to meet you ' }, { text: 'John' }] }] },
    ],
    ['gives Markdown on request', 'clauujxdd00073b6qpejnkzcy', {}, 'markdown', { type: 'markdown', markdown: 'Hi there! 👋' }],
    ['sends an unset {{Joke}} as empty rich text', 'clauuwhyl001w3b6q7ai0zeyt', {}, 'richText', { type: 'richText', richText: [] }],
    ['sends an unset {{Joke}} as empty Markdown', 'clauuwhyl001w3b6q7ai0zeyt', {}, 'markdown', { type: 'markdown', markdown: '' }],
    [
      'renders a Markdown value as rich text',
      'clauuwhyl001w3b6q7ai0zeyt',
      { Joke: '**Why?**\nBecause.' },
      'richText',
      { type: 'richText', richText: [{ type: 'p', children: [{ bold: true, text: 'Why?' }, { text: '\nBecause.' }] }] },
    ],
  ])('%s', (_name, blockId, values, format, expectedContent) => {
    const ctx = createTestContext({ variables: withValues(values), textBubbleContentFormat: format })
    expect(run(bubbleHandlers.text.toMessage(mainTextBubble(blockId), ctx))).toEqual({
      message: { id: blockId, type: 'text', content: expectedContent },
    })
  })

  it('shows only the last list element in pre-v6 typebots', () => {
    const block: TextBubbleBlock = { id: 't', type: 'text', content: { richText: [{ type: 'p', children: [{ text: '{{Name}}' }] }] } }
    const variables: Variable[] = [{ id: 'v', name: 'Name', value: ['first', 'last'] }]
    const richTextOf = (version: string) =>
      run(bubbleHandlers.text.toMessage(block, createTestContext({ variables, version })))?.message.content
    expect(richTextOf('5')).toEqual({ type: 'richText', richText: [{ type: 'p', children: [{ text: 'last' }] }] })
    expect(richTextOf('6')).toEqual({ type: 'richText', richText: [{ type: 'p', children: [{ text: '["first","last"]' }] }] })
  })

  it('skips a bubble without content', () => {
    expect(run(bubbleHandlers.text.toMessage({ id: 't', type: 'text' }, createTestContext()))).toBeUndefined()
  })

  it('sends empty rich text for content without rich text, even in Markdown', () => {
    const ctx = createTestContext({ textBubbleContentFormat: 'markdown' })
    expect(run(bubbleHandlers.text.toMessage({ id: 't', type: 'text', content: {} }, ctx))).toEqual({
      message: { id: 't', type: 'text', content: { type: 'richText', richText: [] } },
    })
  })
})

describe('media bubbles', () => {
  const ctx = createTestContext({
    variables: [
      { id: 'vUrl', name: 'Url', value: 'https://img.io/a.png' },
      { id: 'vEmbed', name: 'Embed URL', value: 'javascript:alert(1)' },
      { id: 'vHeight', name: 'Height', value: '300' },
    ],
  })

  it.each<[string, BubbleBlock, unknown]>([
    [
      'substitutes image fields and keeps only documented ones',
      { id: 'i', type: 'image', content: { url: '{{Url}}', clickLink: { url: 'https://x.io', alt: 'Alt' }, extra: 1 } },
      { id: 'i', type: 'image', content: { url: 'https://img.io/a.png', clickLink: { url: 'https://x.io', alt: 'Alt' } } },
    ],
    [
      'sends audio as stored',
      { id: 'a', type: 'audio', content: { url: 'https://x.io/a.mp3', isAutoplayEnabled: false } },
      { id: 'a', type: 'audio', content: { url: 'https://x.io/a.mp3', isAutoplayEnabled: false } },
    ],
    [
      'classifies a video URL',
      { id: 'v', type: 'video', content: { url: 'https://vimeo.com/123456', height: '{{Height}}', aspectRatio: '16/9' } },
      { id: 'v', type: 'video', content: { url: 'vimeo.com/123456', type: 'vimeo', id: '123456', height: '300', aspectRatio: '16/9' } },
    ],
    [
      'does not sanitise an embed URL',
      { id: 'e', type: 'embed', content: { url: '{{Embed URL}}', height: 400 } },
      { id: 'e', type: 'embed', content: { url: 'javascript:alert(1)', height: 400 } },
    ],
  ])('%s', (_name, block, expected) => {
    expect(run(handlerOf(block.type).toMessage(block, ctx))).toEqual({ message: expected })
  })

  it.each<BubbleBlock['type']>(['image', 'video', 'audio', 'embed'])('skips a %s bubble without content', (type) => {
    expect(run(handlerOf(type).toMessage({ id: 'x', type }, ctx))).toBeUndefined()
  })
})

describe('classifyVideoUrl', () => {
  it.each([
    ['https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=10', { type: 'youtube', url: 'youtube.com/watch?v=dQw4w9WgXcQ', id: 'dQw4w9WgXcQ' }],
    ['https://youtube.com/shorts/ab-C_1', { type: 'youtube', url: 'youtube.com/shorts/ab-C_1', id: 'ab-C_1' }],
    ['https://youtu.be/abc?t=30', { type: 'youtube', url: 'youtu.be/abc?t=30', id: 'abc', queryParamsStr: '?start=30' }],
    ['https://youtu.be/abc?si=x&t=5', { type: 'youtube', url: 'youtu.be/abc?si=x&t=5', id: 'abc', queryParamsStr: '?si=x&start=5' }],
    ['https://vimeo.com/76979871', { type: 'vimeo', url: 'vimeo.com/76979871', id: '76979871' }],
    ['https://www.tiktok.com/@user.name/video/7123', { type: 'tiktok', url: 'tiktok.com/@user.name/video/7123', id: '7123' }],
    ['https://gumlet.tv/watch/abc123', { type: 'gumlet', url: 'gumlet.tv/watch/abc123', id: 'abc123' }],
    ['https://onedrive.live.com/embed?resid=1&authkey=2', { type: 'url', url: 'https://onedrive.live.com/download?resid=1&authkey=2' }],
    ['https://cdn.io/movie.mp4', { type: 'url', url: 'https://cdn.io/movie.mp4' }],
  ])('%s', (url, expected) => {
    expect(classifyVideoUrl(url)).toEqual(expected)
  })

  it('overrides a stored type and id', () => {
    const block: BubbleBlock = {
      id: 'v',
      type: 'video',
      content: { url: 'https://youtu.be/new', type: 'vimeo', id: 'old', queryParamsStr: '?x=1' },
    }
    expect(run(bubbleHandlers.video.toMessage(block, createTestContext()))?.message.content).toEqual({
      url: 'youtu.be/new',
      type: 'youtube',
      id: 'new',
    })
  })
})

describe('embed bubble waiting for an event', () => {
  const block: BubbleBlock = {
    id: 'e',
    type: 'embed',
    content: { url: 'https://cal.com', waitForEvent: { isEnabled: true, name: 'booked', saveDataInVariableId: 'vData' } },
  }
  const ctx = createTestContext({ variables: [{ id: 'vData', name: 'Data' }] })

  it('stops the walk', () => {
    expect(run(bubbleHandlers.embed.toMessage(block, ctx))).toEqual({
      message: { id: 'e', type: 'embed', content: block.content },
      isWaitingForReply: true,
    })
  })

  it.each([
    ['saves JSON data as text', '{"slot":"10:00"}', '{"slot":"10:00"}'],
    ['saves a JSON string unquoted', '"done"', 'done'],
    ['saves plain text as is', 'booked!', 'booked!'],
    ['saves a JSON array as a list', '["a","b"]', ['a', 'b']],
  ])('%s', (_name, reply, expected) => {
    const resume = bubbleHandlers.embed.resume
    const result = resume && run(resume(block, reply, ctx))
    expect(result?.state?.typebotsQueue[0].variables).toEqual([{ id: 'vData', name: 'Data', value: expected }])
  })

  it('does nothing without a save variable', () => {
    const withoutVariable: BubbleBlock = { ...block, content: { waitForEvent: { isEnabled: true } } }
    const resume = bubbleHandlers.embed.resume
    expect(resume && run(resume(withoutVariable, 'x', ctx))).toEqual({})
  })
})
