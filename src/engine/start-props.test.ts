import { describe, expect, it } from 'vitest'
import { cleanCustomHeadCode } from './start-props.js'

describe('cleanCustomHeadCode', () => {
  it.each([
    ['<script>a()</script>', '<script>a()</script>'],
    ['hello <meta name="x"> world <link rel="a"/>', '<meta name="x">\n<link rel="a"/>'],
    ['<div><div>nested</div></div> tail', '<div><div>nested</div></div>'],
    [
      '<!-- note --><style>.lite-badge { display: none } @media (x) { .lite-badge { a: b } } body { c: d }</style>',
      '<style> body { c: d }</style>',
    ],
    ['<script>if (a < b) { x("</div>") }</script>', '<script>if (a < b) { x("</div>") }</script>'],
    ['just text', ''],
  ])('%s', (input, expected) => {
    expect(cleanCustomHeadCode(input)).toBe(expected)
  })
})
