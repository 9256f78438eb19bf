import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { type CardsInputBlock, cardsInputBlockSchema } from '../../../schemas/blocks/inputs.js'
import type { ParsedReply } from '../../block-handler.js'
import type { InputMessage, Variable } from '../../types.js'
import { inputHandlers } from './index.js'
import { createTestContext, run } from './test-context.js'

const fixture = JSON.parse(readFileSync(new URL('../../../../test/fixtures/reference/typebots/cards.json', import.meta.url), 'utf8')) as {
  groups: { blocks: { type: string }[] }[]
}
const cardsBlocks = fixture.groups
  .flatMap((group) => group.blocks)
  .filter((block) => block.type === 'cards')
  .map((block) => cardsInputBlockSchema.parse(block))
const staticCards = cardsBlocks[0]!
const dynamicCards = cardsBlocks[1]!

const listVariables: Variable[] = [
  { id: 'vdjay5oard8fxyjtuc19zenac', name: 'Selected title' },
  { id: 'viwvshpal36k3ykgf8rpby8ox', name: 'Descriptions', value: ['Desc 1', 'Desc 2'] },
  { id: 'vqcjekhxop2puyqxg0itfervk', name: 'Titles', value: ['Title 1', 'Title 2'] },
  { id: 'vnqzi4upki6qp8d8p3tyjajrr', name: 'Images', value: ['https://img.io/1.jpg', 'https://img.io/2.jpg'] },
]
const text = (value: string, replyId?: string): InputMessage =>
  replyId ? { type: 'text', text: value, metadata: { replyId } } : { type: 'text', text: value }

describe('static cards (cards.json)', () => {
  const ctx = createTestContext()
  it.each<[string, InputMessage | undefined, ParsedReply]>([
    [
      'follows the edge of the clicked path',
      text('iygo3fs5oh6i8sggweqj81u1'),
      { status: 'success', content: 'Paris', outgoingEdgeId: 'kckdcqimp2blg4y3qnlbqncj' },
    ],
    [
      'matches the path through the reply id',
      text('More info', 'iygo3fs5oh6i8sggweqj81u1'),
      { status: 'success', content: 'Paris', outgoingEdgeId: 'kckdcqimp2blg4y3qnlbqncj' },
    ],
    ['takes a path without edge', text('acdlii6dlo8hp7avo8ezd5cu'), { status: 'success', content: 'London' }],
    ['matches a title case-insensitively and takes its first path', text(' dublin '), { status: 'success', content: 'Dublin' }],
    ['fails on an unknown reply', text('Berlin'), { status: 'fail' }],
    ['fails without a message', undefined, { status: 'fail' }],
  ])('%s', (_name, message, expected) => {
    expect(run(inputHandlers.cards.parseReply(staticCards, message, ctx))).toEqual(expected)
  })

  it('sends the stored cards', () => {
    expect(run(inputHandlers.cards.toChatInput(staticCards, ctx))).toEqual({ id: staticCards.id, type: 'cards', items: staticCards.items })
  })

  it('hides cards whose display condition is false', () => {
    const block: CardsInputBlock = {
      ...staticCards,
      items: staticCards.items.map((item, index) =>
        index === 0
          ? {
              ...item,
              options: {
                displayCondition: {
                  isEnabled: true,
                  condition: { comparisons: [{ variableId: 'vCity', comparisonOperator: 'Equal to', value: 'Paris' }] },
                },
              },
            }
          : item,
      ),
    }
    const context = createTestContext({ variables: [{ id: 'vCity', name: 'City', value: 'Rome' }] })
    expect(run(inputHandlers.cards.toChatInput(block, context)).items).toEqual(staticCards.items.slice(1))
    expect(run(inputHandlers.cards.parseReply(block, text('Paris'), context))).toEqual({ status: 'fail' })
  })
})

describe('dynamic cards (cards.json)', () => {
  const ctx = createTestContext({ variables: listVariables })

  it('makes one card per list element with rewritten path ids', () => {
    const template = dynamicCards.items[0]!
    expect(run(inputHandlers.cards.toChatInput(dynamicCards, ctx)).items).toEqual(
      [0, 1].map((index) => ({
        id: template.id,
        imageUrl: `https://img.io/${index + 1}.jpg`,
        title: `Title ${index + 1}`,
        description: `Desc ${index + 1}`,
        options: {},
        paths: [
          { id: `dynamic-card-${index}-path-0`, text: 'Continue', outgoingEdgeId: 'uyzuqi8mg940bz755fl4nmi6' },
          { id: `dynamic-card-${index}-path-1`, text: 'More info' },
        ],
      })),
    )
  })

  it('answers with the title and applies the response mapping', () => {
    expect(run(inputHandlers.cards.parseReply(dynamicCards, text('dynamic-card-1-path-0'), ctx))).toEqual({
      status: 'success',
      content: 'Title 2',
      outgoingEdgeId: 'uyzuqi8mg940bz755fl4nmi6',
      variablesToUpdate: [{ id: 'vdjay5oard8fxyjtuc19zenac', value: 'Title 2' }],
    })
  })

  it('maps every field, skipping an empty internal value', () => {
    const block: CardsInputBlock = {
      ...dynamicCards,
      options: {
        saveResponseMapping: [
          { field: 'Image URL', variableId: 'a' },
          { field: 'Description', variableId: 'b' },
          { field: 'Button', variableId: 'c' },
          { field: 'Internal Value', variableId: 'd' },
        ],
      },
    }
    expect(run(inputHandlers.cards.parseReply(block, text('dynamic-card-0-path-1'), ctx))).toEqual({
      status: 'success',
      content: 'Title 1',
      variablesToUpdate: [
        { id: 'a', value: 'https://img.io/1.jpg' },
        { id: 'b', value: 'Desc 1' },
        { id: 'c', value: 'More info' },
      ],
    })
  })

  it('leaves fields that are not a single reference empty', () => {
    const block: CardsInputBlock = { ...dynamicCards, items: [{ ...dynamicCards.items[0]!, description: 'About {{Titles}}' }] }
    expect(run(inputHandlers.cards.toChatInput(block, ctx)).items).toMatchObject([
      { title: 'Title 1', description: undefined },
      { title: 'Title 2', description: undefined },
    ])
  })

  it('shows the stored card when the variables are not lists', () => {
    const context = createTestContext({ variables: listVariables.map((variable) => ({ ...variable, value: 'one' })) })
    expect(run(inputHandlers.cards.toChatInput(dynamicCards, context)).items).toEqual([
      { ...dynamicCards.items[0], imageUrl: 'one', title: 'one', description: 'one' },
    ])
  })
})
