import { describe, expect, it } from 'vitest'
import type {
  EmailInputBlock,
  FileInputBlock,
  NumberInputBlock,
  PaymentInputBlock,
  PhoneNumberInputBlock,
  RatingInputBlock,
  TextInputBlock,
  UrlInputBlock,
} from '../../../schemas/blocks/inputs.js'
import type { ParsedReply } from '../../block-handler.js'
import type { InputMessage } from '../../types.js'
import { inputHandlers } from './index.js'
import { createTestContext, run } from './test-context.js'

const text = (value: string): InputMessage => ({ type: 'text', text: value })
const fail: ParsedReply = { status: 'fail' }
const success = (content: string): ParsedReply => ({ status: 'success', content })

describe('text input', () => {
  const block: TextInputBlock = { id: 't', type: 'text input' }
  it.each<[string, InputMessage | undefined, ParsedReply]>([
    ['accepts any text', text('Hello'), success('Hello')],
    ['accepts an empty text', text(''), success('')],
    ['answers a voice clip with its URL', { type: 'audio', url: 'https://x.io/a.webm' }, success('https://x.io/a.webm')],
    ['fails without a message', undefined, fail],
  ])('%s', (_name, message, expected) => {
    expect(run(inputHandlers['text input'].parseReply(block, message, createTestContext()))).toEqual(expected)
  })
})

describe('email input', () => {
  const block: EmailInputBlock = { id: 'e', type: 'email input' }
  it.each<[string, string, ParsedReply]>([
    ['lower-cases a valid address', 'John.Doe@Example.COM', success('john.doe@example.com')],
    ['accepts a quoted local part', '"john doe"@example.com', success('"john doe"@example.com')],
    ['accepts an IPv4 literal', 'a@[192.168.0.1]', success('a@[192.168.0.1]')],
    ['refuses plain text', 'invalid email', fail],
    ['refuses a one-letter top-level domain', 'a@b.c', fail],
    ['refuses surrounding spaces', ' a@b.co', fail],
    ['refuses a double dot in the local part', 'a..b@c.io', fail],
    ['refuses a reply longer than any address', `${'a'.repeat(400)}@example.com`, fail],
  ])('%s', (_name, reply, expected) => {
    expect(run(inputHandlers['email input'].parseReply(block, text(reply), createTestContext()))).toEqual(expected)
  })

  it('fails on a voice clip', () => {
    expect(run(inputHandlers['email input'].parseReply(block, { type: 'audio', url: 'https://x.io' }, createTestContext()))).toEqual(fail)
  })
})

describe('number input', () => {
  const block = (options: NumberInputBlock['options'] = {}): NumberInputBlock => ({ id: 'n', type: 'number input', options })
  const ctx = createTestContext({ variables: [{ id: 'vMax', name: 'Max', value: '100' }] })
  it.each<[string, NumberInputBlock, string, ParsedReply]>([
    ['normalises a decimal comma', block(), '1,5', success('1.5')],
    ['keeps answers starting with 0 as typed', block(), '007', success('007')],
    ['keeps "0,5" as typed', block(), '0,5', success('0,5')],
    ['reads the leading number', block(), '12abc', success('12')],
    ['refuses text', block(), 'abc', fail],
    ['refuses an empty text', block(), '', fail],
    ['enforces min', block({ min: 10 }), '9', fail],
    ['enforces max given as a variable', block({ max: '{{Max}}' }), '101', fail],
    ['accepts a value within bounds', block({ min: 10, max: '{{Max}}' }), '50', success('50')],
    ['ignores a bound of 0', block({ min: 0, max: 0 }), '-5', success('-5')],
    ['does not check step', block({ step: 5 }), '3', success('3')],
  ])('%s', (_name, input, reply, expected) => {
    expect(run(inputHandlers['number input'].parseReply(input, text(reply), ctx))).toEqual(expected)
  })
})

describe('url input', () => {
  const block: UrlInputBlock = { id: 'u', type: 'url input' }
  it.each<[string, boolean]>([
    ['https://typebot.io', true],
    ['typebot.io', true],
    ['http://sub.example.co.uk:8080/path?q=1#top', true],
    ['http://user:pass@example.com', true],
    ['http://127.0.0.1:3000/api', true],
    ['http://[::1]:3000', true],
    ['ftp://example.com', false],
    ['http://localhost:3000', false],
    ['example', false],
    ['https://exa mple.com', false],
    ['https://-bad-.com', false],
    ['mailto:a@b.co', false],
    ['//example.com', false],
    ['https://example.123', false],
  ])('%s is valid: %s', (reply, isValid) => {
    expect(run(inputHandlers['url input'].parseReply(block, text(reply), createTestContext()))).toEqual(isValid ? success(reply) : fail)
  })
})

describe('phone number input', () => {
  const block = (defaultCountryCode?: string): PhoneNumberInputBlock => ({
    id: 'p',
    type: 'phone number input',
    options: defaultCountryCode ? { defaultCountryCode } : {},
  })
  it.each<[string, PhoneNumberInputBlock, string, ParsedReply]>([
    ['formats a national number with the default country', block('FR'), '06 12 34 56 78', success('+33612345678')],
    ['finds the number inside a sentence', block('FR'), 'call me at 06 12 34 56 78 please', success('+33612345678')],
    ['accepts an international number without default country', block(), '+33 6 12 34 56 78', success('+33612345678')],
    ['refuses a national number without default country', block(), '06 12 34 56 78', fail],
    ['ignores an unsupported country code', block('XX'), '06 12 34 56 78', fail],
    ['refuses text without a number', block('FR'), 'no number here', fail],
    ['refuses a reply of thousands of characters without parsing it', block('FR'), `06 12 34 56 78 ${'1 '.repeat(50_000)}`, fail],
  ])('%s', (_name, input, reply, expected) => {
    expect(run(inputHandlers['phone number input'].parseReply(input, text(reply), createTestContext()))).toEqual(expected)
  })
})

describe('rating input', () => {
  const block = (length?: number): RatingInputBlock => ({ id: 'r', type: 'rating input', options: length ? { length } : {} })
  it.each<[string, RatingInputBlock, string, ParsedReply]>([
    ['accepts a value up to the default length', block(), '8', success('8')],
    ['accepts the maximum', block(5), '5', success('5')],
    ['refuses a value above the length', block(5), '6', fail],
    ['has no lower bound', block(), '-3', success('-3')],
    ['accepts an empty text', block(), '', success('')],
    ['refuses text', block(), 'abc', fail],
  ])('%s', (_name, input, reply, expected) => {
    expect(run(inputHandlers['rating input'].parseReply(input, text(reply), createTestContext()))).toEqual(expected)
  })
})

describe('payment input', () => {
  const block: PaymentInputBlock = { id: 'pay', type: 'payment input', options: { amount: '10' } }
  it.each<[string, InputMessage | undefined, ParsedReply]>([
    ['fails on "fail"', text('fail'), fail],
    ['succeeds on any other text', text('Success'), success('Success')],
    ['fails without a message', undefined, fail],
  ])('%s', (_name, message, expected) => {
    expect(run(inputHandlers['payment input'].parseReply(block, message, createTestContext()))).toEqual(expected)
  })
})

describe('file input', () => {
  const block = (options: FileInputBlock['options'] = {}): FileInputBlock => ({ id: 'f', type: 'file input', options })
  const jsonOnly = block({ isMultipleAllowed: true, allowedFileTypes: { isEnabled: true, types: ['.json'] } })
  const images = block({ isMultipleAllowed: true, allowedFileTypes: { isEnabled: true, types: ['image/*', '.jpg'] } })
  it.each<[string, FileInputBlock, InputMessage | undefined, ParsedReply]>([
    ['fails without a message by default', block(), undefined, fail],
    ['skips without a message when not required', block({ isRequired: false }), undefined, { status: 'skip' }],
    ['accepts an uploaded file URL', block(), text('https://s3.io/a.pdf'), success('https://s3.io/a.pdf')],
    ['accepts a local upload URL', block(), text('http://localhost:3000/files/a.pdf'), success('http://localhost:3000/files/a.pdf')],
    ['refuses text that is no URL', block(), text('my file'), fail],
    [
      'keeps only the first file when multiple files are not allowed',
      block(),
      text('https://a.io/1.png, https://a.io/2.png'),
      success('https://a.io/1.png'),
    ],
    [
      'keeps every file when multiple files are allowed',
      jsonOnly,
      text('https://a.io/1.json, https://a.io/2.JSON'),
      success('https://a.io/1.json, https://a.io/2.JSON'),
    ],
    ['refuses a file of another type', jsonOnly, text('https://a.io/1.json, https://a.io/2.png'), fail],
    [
      'accepts types matching a wildcard and extension aliases',
      images,
      text('https://a.io/1.png, https://a.io/2.jpeg'),
      success('https://a.io/1.png, https://a.io/2.jpeg'),
    ],
    ['accepts a voice clip URL', block(), { type: 'audio', url: 'https://a.io/v.webm' }, success('https://a.io/v.webm')],
  ])('%s', (_name, input, message, expected) => {
    expect(run(inputHandlers['file input'].parseReply(input, message, createTestContext()))).toEqual(expected)
  })
})
