import { describe, expect, it } from 'vitest'
import { MAX_MARKDOWN_CHARS, markdownToRichText } from './markdown-to-rich-text.js'
import type { RichTextNode } from './types.js'

const p = (...children: RichTextNode[]): RichTextNode => ({ children, type: 'p' })
const text = (value: string, marks: Omit<RichTextNode, 'text'> = {}): RichTextNode => ({ ...marks, text: value })
const item = (...children: RichTextNode[]): RichTextNode => ({ children: [{ children, type: 'lic' }], type: 'li' })

describe('markdownToRichText', () => {
  it.each<[string, string, RichTextNode[]]>([
    ['headings', '# Title\n\n## Sub', [{ children: [text('Title')], type: 'h1' }, p(text('')), { children: [text('Sub')], type: 'h2' }]],
    ['a setext heading', 'Title\n===', [{ children: [text('Title')], type: 'h1' }]],
    ['ordered lists', '1. one\n2. two', [{ children: [item(text('one')), item(text('two'))], type: 'ol' }]],
    [
      'nested bullet lists',
      '- a\n  - b',
      [
        {
          children: [
            {
              children: [
                { children: [text('a')], type: 'lic' },
                { children: [item(text('b'))], type: 'ul' },
              ],
              type: 'li',
            },
          ],
          type: 'ul',
        },
      ],
    ],
    ['a quote', '> said\n> twice', [{ children: [text('said\ntwice')], type: 'blockquote' }]],
    [
      'fenced code',
      '```\nlet a\nlet b\n```',
      [
        {
          children: [
            { children: [text('let a')], type: 'code_line' },
            { children: [text('let b')], type: 'code_line' },
          ],
          type: 'code_block',
        },
      ],
    ],
    ['a thematic break', '---', [{ children: [text('')], type: 'hr' }]],
    [
      'strong, emphasis and strikethrough',
      '**b** _i_ ~~d~~',
      [p(text('b', { bold: true }), text(' '), text('i', { italic: true }), text(' '), text('d', { strikethrough: true }))],
    ],
    [
      'emphasis inside strong',
      '**a *b* c**',
      [p(text('a ', { bold: true }), text('b', { bold: true, italic: true }), text(' c', { bold: true }))],
    ],
    ['no emphasis inside words with underscores', 'snake_case_name', [p(text('snake_case_name'))]],
    ['a code span', 'use `npm i` now', [p(text('use '), text('npm i', { code: true }), text(' now'))]],
    ['an image as a link', '![logo](https://x.io/a.png)', [p({ type: 'a', url: 'https://x.io/a.png', children: [text('logo')] })]],
    ['an autolink', '<https://x.io>', [p({ type: 'a', url: 'https://x.io', children: [text('https://x.io')] })]],
    ['a reference link', '[docs]\n\n[docs]: https://d.io', [p({ type: 'a', url: 'https://d.io', children: [text('docs')] })]],
    ['escapes', '\\*not italic\\*', [p(text('*not italic*'))]],
    ['inline HTML as text', 'a <b>x</b>', [p(text('a <b>x</b>'))]],
    ['a table as its text', '| a | b |\n|---|---|\n| 1 | 2 |', [p(text('| a | b |\n|---|---|\n| 1 | 2 |'))]],
  ])('reads %s', (_name, markdown, expected) => {
    expect(markdownToRichText(markdown)).toEqual(expected)
  })

  it('shows a value longer than the limit as plain text, unread', () => {
    const long = `**${'a'.repeat(MAX_MARKDOWN_CHARS)}**`
    expect(markdownToRichText(long)).toEqual([p(text(long))])
  })

  // Inputs that made Markdown libraries spend quadratic time or overflow the stack: read in one pass.
  it.each([
    ['emphasis runs', '_a'.repeat(16_000)],
    ['star runs', '*a'.repeat(16_000)],
    ['open brackets', '[a'.repeat(16_000)],
    ['unclosed link destinations', '[](('.repeat(8_000)],
    ['nested quotes', `${'>'.repeat(30_000)}a`],
    ['nested emphasis', `${'*_'.repeat(8_000)}a${'_*'.repeat(8_000)}`],
  ])('reads %s within the limit without failing', (_name, markdown) => {
    const nodes = markdownToRichText(markdown)
    expect(nodes.length).toBeGreaterThan(0)
  })

  it('keeps deep list nesting to a bounded depth', () => {
    const markdown = Array.from({ length: 200 }, (_, depth) => `${'  '.repeat(depth)}- level ${depth}`).join('\n')
    let depth = 0
    let node: RichTextNode | undefined = markdownToRichText(markdown)[0]
    while (node) {
      depth++
      node = node.children?.find((child) => child.type === 'ul' || child.type === 'li')
    }
    expect(depth).toBeLessThan(80)
  })
})
