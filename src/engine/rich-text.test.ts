import { describe, expect, it } from 'vitest'
import { markdownToRichText } from './markdown-to-rich-text.js'
import { richTextToMarkdown, substituteRichText } from './rich-text.js'
import { runPure } from './test-driver.js'
import type { RichTextNode, Variable } from './types.js'

const p = (...children: RichTextNode[]): RichTextNode => ({ type: 'p', children })
const text = (value: string, marks: Omit<RichTextNode, 'text'> = {}): RichTextNode => ({ ...marks, text: value })
const variable = (name: string, value?: Variable['value']): Variable => ({ id: `v_${name}`, name, value })

type Case = {
  name: string
  richText: RichTextNode[]
  variables: Variable[]
  expected: RichTextNode[]
  markdown: string
  takeLatestIfList?: boolean
}

const cases: Case[] = [
  {
    name: 'splits a leaf around a variable',
    richText: [p(text('Nice to meet you {{Name}}'))],
    variables: [variable('Name', 'John')],
    expected: [p(text('Nice to meet you '), text('John'))],
    markdown: 'Nice to meet you John',
  },
  {
    name: 'keeps one leaf per piece with several variables',
    richText: [p(text('Your color is {{color}}, mood={{mood}}. Bye'))],
    variables: [variable('color', 'green'), variable('mood', 'happy')],
    expected: [p(text('Your color is '), text('green'), text(', mood='), text('happy'), text('. Bye'))],
    markdown: 'Your color is green, mood=happy. Bye',
  },
  {
    name: 'drops an unset variable and keeps the trailing space',
    richText: [p(text('Echo: {{answer}}'))],
    variables: [variable('answer')],
    expected: [p(text('Echo: '))],
    markdown: 'Echo: ',
  },
  {
    name: 'removes a paragraph made only of an unset variable',
    richText: [p(text('{{Joke}}'))],
    variables: [variable('Joke')],
    expected: [],
    markdown: '',
  },
  {
    name: 'does not autolink a bare URL',
    richText: [p(text('{{Location}}'))],
    variables: [variable('Location', 'http://127.0.0.1:3001')],
    expected: [p(text('http://127.0.0.1:3001'))],
    markdown: 'http://127.0.0.1:3001',
  },
  {
    name: 'replaces a paragraph holding only {{Content}} with the Markdown paragraphs',
    richText: [p(text('{{Content}}'))],
    variables: [variable('Content', 'Hello World\n\n**valid markdown here**')],
    expected: [p(text('Hello World')), p(text('')), p(text('valid markdown here', { bold: true }))],
    markdown: 'Hello World\n\n**valid markdown here**',
  },
  {
    name: 'keeps a single newline inside the leaf',
    richText: [p(text('{{Content}}'))],
    variables: [variable('Content', '**Bold**\nText')],
    expected: [p(text('Bold', { bold: true }), text('\nText'))],
    markdown: '**Bold**\nText',
  },
  {
    name: 'flattens a multi-paragraph value inside a sentence',
    richText: [p(text('Hello {{Name}}!'))],
    variables: [variable('Name', 'Multiline\n\nvariable\n**value**')],
    expected: [p(text('Hello '), text('Multiline'), text('\n\n'), text('variable\n'), text('value', { bold: true }), text('!'))],
    markdown: 'Hello Multiline\n\nvariable\n**value**!',
  },
  {
    name: "applies the leaf's marks to the value",
    richText: [p(text('Dear {{Name}}', { italic: true }))],
    variables: [variable('Name', 'John')],
    expected: [p(text('Dear ', { italic: true }), text('John', { italic: true }))],
    markdown: '_Dear_ _John_',
  },
  {
    name: 'substitutes link URLs and keeps link text',
    richText: [p(text('See '), { type: 'a', url: '{{URL}}', children: [text('docs')] }, text(''))],
    variables: [variable('URL', 'https://example.com')],
    expected: [p(text('See '), { type: 'a', url: 'https://example.com', children: [text('docs')] }, text(''))],
    markdown: 'See [docs](https://example.com)',
  },
  {
    name: 'renders a link without text as its URL',
    richText: [p({ type: 'a', url: 'https://typebot.io', children: [text('')] })],
    variables: [],
    expected: [p({ type: 'a', url: 'https://typebot.io', children: [text('')] })],
    markdown: 'https://typebot.io',
  },
  {
    name: 'renders lists as JSON in v6 bubbles',
    richText: [p(text('Items: {{List}}'))],
    variables: [variable('List', ['a', 'b'])],
    expected: [p(text('Items: '), text('["a","b"]'))],
    markdown: 'Items: ["a","b"]',
  },
  {
    name: 'shows the last list element in pre-v6 bubbles',
    richText: [p(text('Last: {{List}}'))],
    variables: [variable('List', ['a', 'b'])],
    expected: [p(text('Last: '), text('b'))],
    markdown: 'Last: b',
    takeLatestIfList: true,
  },
  {
    name: 'uses the first variable of a name even when it is empty',
    richText: [p(text('Hi {{Name}}'))],
    variables: [variable('Name'), variable('Name', 'Other')],
    expected: [p(text('Hi '))],
    markdown: 'Hi ',
  },
  {
    name: 'evaluates inline code and shows nothing for null',
    richText: [p(text('Sum: {{={{A}} + 1=}} {{=null=}}'))],
    variables: [variable('A', '41')],
    expected: [p(text('Sum: '), text('42'), text(' '))],
    markdown: 'Sum: 42 ',
  },
  {
    name: 'keeps bold, underline and blank paragraphs of the stored text',
    richText: [
      p(text('Welcome to '), text('AA', { bold: true }), text(' (Awesome Agency)')),
      p(text('')),
      p(text('under', { underline: true })),
    ],
    variables: [],
    expected: [
      p(text('Welcome to '), text('AA', { bold: true }), text(' (Awesome Agency)')),
      p(text('')),
      p(text('under', { underline: true })),
    ],
    markdown: 'Welcome to **AA** (Awesome Agency)\n\n<u>under</u>',
  },
  {
    name: 'keeps spaces outside bold markers',
    richText: [p(text('1) '), text('Hello world <3 ', { bold: true }))],
    variables: [],
    expected: [p(text('1) '), text('Hello world <3 ', { bold: true }))],
    markdown: '1) **Hello world <3** ',
  },
]

describe('substituteRichText and richTextToMarkdown', () => {
  it.each(cases)('$name', ({ richText, variables, expected, markdown, takeLatestIfList }) => {
    const substituted = runPure(substituteRichText(richText, variables, { takeLatestIfList }))
    expect(substituted).toEqual(expected)
    expect(richTextToMarkdown(substituted)).toBe(markdown)
  })
})

describe('richTextToMarkdown', () => {
  it.each<[string, RichTextNode[], string]>([
    ['joins paragraphs with one newline', [p(text('Hello')), p(text('')), p(text('World'))], 'Hello\n\nWorld'],
    ['renders an empty rich text as ""', [], ''],
    ['renders bold after plain text', [p(text('1) '), text('Hello world <3', { bold: true }))], '1) **Hello world <3**'],
    ['combines bold and italic', [p(text('both', { bold: true, italic: true }))], '**_both_**'],
    [
      'renders ordered and bullet lists',
      [
        {
          type: 'ol',
          children: [
            { type: 'li', children: [{ type: 'lic', children: [text('one')] }] },
            { type: 'li', children: [{ type: 'lic', children: [text('two')] }] },
          ],
        },
        { type: 'ul', children: [{ type: 'li', children: [{ type: 'lic', children: [text('dot')] }] }] },
      ],
      '1. one\n2. two\n* dot',
    ],
    ['emits text without escaping', [p(text('a_b *c* [d]'))], 'a_b *c* [d]'],
    // Typebot's serializer (mdast-util-to-markdown, then .slice(0, -1)) drops one final line break.
    ['drops the line break that ends the last leaf, as Typebot does', [p(text('Hello\n'))], 'Hello'],
    ['drops only one of two final line breaks', [p(text('Hello\n\n'))], 'Hello\n'],
    ['keeps a line break inside the text', [p(text('Hello\n')), p(text('World'))], 'Hello\n\nWorld'],
    ['keeps spaces outside the markers of a long spaced leaf', [p(text(`  ${'a '.repeat(3)}  `, { bold: true }))], '  **a a a**   '],
  ])('%s', (_name, nodes, expected) => {
    expect(richTextToMarkdown(nodes)).toBe(expected)
  })
})

describe('markdownToRichText', () => {
  it.each<[string, string, RichTextNode[]]>([
    ['parses a plain paragraph', 'Hello, world!', [p(text('Hello, world!'))]],
    [
      'keeps every blank line as an empty paragraph',
      'Hello, world!\n\n\nHello, world!',
      [p(text('Hello, world!')), p(text('')), p(text('')), p(text('Hello, world!'))],
    ],
    [
      'parses italic and links',
      '_it_ [site](https://x.io)',
      [p(text('it', { italic: true }), text(' '), { type: 'a', url: 'https://x.io', children: [text('site')] })],
    ],
    [
      'parses bullet lists',
      '* x\n* y',
      [
        {
          type: 'ul',
          children: [
            { type: 'li', children: [{ type: 'lic', children: [text('x')] }] },
            { type: 'li', children: [{ type: 'lic', children: [text('y')] }] },
          ],
        },
      ],
    ],
    ['decodes character references', 'Tom &amp; Jerry &#x3C;3', [p(text('Tom & Jerry <3'))]],
    ['gives nothing for an empty value', '', []],
  ])('%s', (_name, markdown, expected) => {
    expect(markdownToRichText(markdown)).toEqual(expected)
  })
})
