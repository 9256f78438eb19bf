import { describe, expect, it } from 'vitest'
import type { ChoiceInputBlock, ChoiceItem, PictureChoiceInputBlock } from '../../../schemas/blocks/inputs.js'
import type { ParsedReply } from '../../block-handler.js'
import type { InputMessage, Variable } from '../../types.js'
import { inputHandlers } from './index.js'
import { createTestContext, run } from './test-context.js'

const fail: ParsedReply = { status: 'fail' }
const text = (value: string, replyId?: string): InputMessage =>
  replyId ? { type: 'text', text: value, metadata: { replyId } } : { type: 'text', text: value }

const buttons = (items: ChoiceItem[], options: ChoiceInputBlock['options'] = {}): ChoiceInputBlock => ({
  id: 'b',
  type: 'choice input',
  items,
  options,
})
const item = (id: string, content: string, extra: Partial<ChoiceItem> = {}): ChoiceItem => ({ id, content, ...extra })

const isAdult = {
  isEnabled: true,
  condition: { comparisons: [{ id: 'c', variableId: 'vAge', comparisonOperator: 'Greater than', value: '17' }] },
}
const variables: Variable[] = [
  { id: 'vAge', name: 'Age', value: '12' },
  { id: 'vColor', name: 'Color', value: 'red' },
  { id: 'vList', name: 'List', value: ['Paris', '', 'London', 'Paris', null, 'Dublin'] },
  { id: 'vJson', name: 'Json', value: '["a","b"]' },
  { id: 'vEmpty', name: 'Empty', value: null },
]
const ctx = createTestContext({ variables })

describe('single choice', () => {
  const block = buttons([
    item('i1', 'Yes', { outgoingEdgeId: 'e1' }),
    item('i2', 'No'),
    item('i3', 'Maybe later', { value: 'later' }),
    item('i4', 'Adults only', { displayCondition: isAdult }),
    item('i5', 'Favourite: {{Color}}'),
  ])
  it.each<[string, InputMessage | undefined, ParsedReply]>([
    ['matches the content exactly and returns the item edge', text('Yes'), { status: 'success', content: 'Yes', outgoingEdgeId: 'e1' }],
    ['trims the reply', text('  No '), { status: 'success', content: 'No' }],
    ['is case-sensitive', text('yes'), fail],
    ['matches the item id', text('i2'), { status: 'success', content: 'No' }],
    ['matches the reply id', text('whatever', 'i1'), { status: 'success', content: 'Yes', outgoingEdgeId: 'e1' }],
    ['answers with the value when the item has one', text('Maybe later'), { status: 'success', content: 'later' }],
    ['matches the value', text('later'), { status: 'success', content: 'later' }],
    ['refuses a hidden item', text('Adults only'), fail],
    ['matches substituted content', text('Favourite: red'), { status: 'success', content: 'Favourite: red' }],
    ['fails without a message', undefined, fail],
  ])('%s', (_name, message, expected) => {
    expect(run(inputHandlers['choice input'].parseReply(block, message, ctx))).toEqual(expected)
  })

  it('tries the longest contents first', () => {
    const overlapping = buttons([item('x', 'Go'), item('Go', 'Go further')])
    expect(run(inputHandlers['choice input'].parseReply(overlapping, text('Go'), ctx))).toEqual({
      status: 'success',
      content: 'Go further',
    })
  })
})

describe('multiple choice', () => {
  const block = buttons([item('id1', 'item'), item('id2', 'second item'), item('id3', 'third item')], { isMultipleChoice: true })
  it.each<[string, string, ParsedReply]>([
    [
      'matches by position, content and id, in display order',
      '1 and second item, id3',
      { status: 'success', content: 'item, second item, third item' },
    ],
    ['is order independent', '2 and item', { status: 'success', content: 'item, second item' }],
    ['handles overlapping contents', 'item and second item', { status: 'success', content: 'item, second item' }],
    ['is case-insensitive and whitespace-tolerant', 'SECOND   Item', { status: 'success', content: 'second item' }],
    ['fails when nothing matches', 'test', fail],
    ['fails a reply longer than anyone types', `item ${'x '.repeat(10_000)}`, fail],
  ])('%s', (_name, reply, expected) => {
    expect(run(inputHandlers['choice input'].parseReply(block, text(reply), ctx))).toEqual(expected)
  })

  it('does not match a choice inside a longer word', () => {
    const tests = buttons([item('x', 'Just a few tests')], { isMultipleChoice: true })
    expect(run(inputHandlers['choice input'].parseReply(tests, text('tests'), ctx))).toEqual(fail)
  })

  it('answers with values when items have them', () => {
    const valued = buttons([item('a', 'Red', { value: 'r' }), item('b', 'Blue', { value: 'b' })], { isMultipleChoice: true })
    expect(run(inputHandlers['choice input'].parseReply(valued, text('blue, red'), ctx))).toEqual({ status: 'success', content: 'r, b' })
  })

  it('matches accented words as whole words', () => {
    const accents = buttons([item('a', 'café'), item('b', 'thé')], { isMultipleChoice: true })
    expect(run(inputHandlers['choice input'].parseReply(accents, text('Café et thé'), ctx))).toEqual({
      status: 'success',
      content: 'café, thé',
    })
    expect(run(inputHandlers['choice input'].parseReply(accents, text('cafés'), ctx))).toEqual(fail)
  })
})

describe('choice input toChatInput', () => {
  it('filters items by display condition and substitutes strings', () => {
    const block = buttons([item('i1', 'Hi {{Color}}', { outgoingEdgeId: 'e1' }), item('i2', 'Adults', { displayCondition: isAdult })], {
      buttonLabel: 'Send {{Color}}',
    })
    expect(run(inputHandlers['choice input'].toChatInput(block, ctx))).toEqual({
      id: 'b',
      type: 'choice input',
      items: [{ id: 'i1', content: 'Hi red', outgoingEdgeId: 'e1' }],
      options: { buttonLabel: 'Send red' },
    })
  })

  it('builds dynamic items without empty entries or duplicates', () => {
    const block = buttons([item('i1', 'static', { displayCondition: isAdult })], { dynamicVariableId: 'vList' })
    expect(run(inputHandlers['choice input'].toChatInput(block, ctx)).items).toEqual([
      { id: 'choice0', content: 'Paris' },
      { id: 'choice1', content: 'London' },
      { id: 'choice2', content: 'Dublin' },
    ])
  })

  it('reads a JSON array string as a list', () => {
    const block = buttons([], { dynamicVariableId: 'vJson' })
    expect(run(inputHandlers['choice input'].toChatInput(block, ctx)).items).toEqual([
      { id: 'choice0', content: 'a' },
      { id: 'choice1', content: 'b' },
    ])
  })

  it('keeps the stored items when the dynamic variable is empty', () => {
    const block = buttons([item('i1', 'static', { displayCondition: isAdult })], { dynamicVariableId: 'vEmpty' })
    expect(run(inputHandlers['choice input'].toChatInput(block, ctx)).items).toEqual(block.items)
  })

  it('validates replies against dynamic items', () => {
    const block = buttons([], { dynamicVariableId: 'vList' })
    expect(run(inputHandlers['choice input'].parseReply(block, text('London'), ctx))).toEqual({ status: 'success', content: 'London' })
    expect(run(inputHandlers['choice input'].parseReply(block, text('choice2'), ctx))).toEqual({ status: 'success', content: 'Dublin' })
  })
})

describe('picture choice input', () => {
  const pictures = (
    items: PictureChoiceInputBlock['items'],
    options: PictureChoiceInputBlock['options'] = {},
  ): PictureChoiceInputBlock => ({
    id: 'pc',
    type: 'picture choice input',
    items,
    options,
  })
  const block = pictures([
    { id: 'p1', pictureSrc: 'https://img.io/cat.png', title: 'Cat', outgoingEdgeId: 'e1' },
    { id: 'p2', pictureSrc: 'https://img.io/dog.png' },
    { id: 'p3', pictureSrc: 'https://img.io/fox.png', title: 'Fox', displayCondition: isAdult },
  ])

  it.each<[string, string, ParsedReply]>([
    ['matches the title and returns the edge', 'Cat', { status: 'success', content: 'Cat', outgoingEdgeId: 'e1' }],
    ['uses the picture source when there is no title', 'https://img.io/dog.png', { status: 'success', content: 'https://img.io/dog.png' }],
    ['refuses a hidden item', 'Fox', fail],
  ])('%s', (_name, reply, expected) => {
    expect(run(inputHandlers['picture choice input'].parseReply(block, text(reply), ctx))).toEqual(expected)
  })

  it('matches several pictures in multiple choice', () => {
    const multiple = pictures(block.items, { isMultipleChoice: true })
    expect(run(inputHandlers['picture choice input'].parseReply(multiple, text('2 and cat'), ctx))).toEqual({
      status: 'success',
      content: 'Cat, https://img.io/dog.png',
    })
  })

  it('builds dynamic items from list variables', () => {
    const context = createTestContext({
      variables: [
        { id: 'vSrc', name: 'Sources', value: ['a.png', null, 'b.png'] },
        { id: 'vTitles', name: 'Titles', value: ['A', 'B'] },
        { id: 'vDesc', name: 'Descriptions', value: 'Only one' },
      ],
    })
    const dynamic = pictures(block.items, {
      dynamicItems: { isEnabled: true, pictureSrcsVariableId: 'vSrc', titlesVariableId: 'vTitles', descriptionsVariableId: 'vDesc' },
    })
    expect(run(inputHandlers['picture choice input'].toChatInput(dynamic, context)).items).toEqual([
      { id: '0', pictureSrc: 'a.png', title: 'A', description: 'Only one' },
      { id: '1', pictureSrc: 'b.png', title: 'B', description: '' },
    ])
    expect(run(inputHandlers['picture choice input'].parseReply(dynamic, text('B'), context))).toEqual({ status: 'success', content: 'B' })
  })
})
