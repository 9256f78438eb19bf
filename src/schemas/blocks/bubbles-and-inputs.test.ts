import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { bubbleBlockSchemas } from './bubbles.js'
import { blockSchemasByType } from './index.js'
import { inputBlockSchemas } from './inputs.js'

const fixturesDir = new URL('../../../test/fixtures/reference/typebots/', import.meta.url)
const handledTypes = new Set<string>([...bubbleBlockSchemas, ...inputBlockSchemas].map((schema) => schema.shape.type.value))

type RawBlock = { id: string; type: string; [field: string]: unknown }
type RawTypebot = { groups?: { blocks: RawBlock[] }[] }

const fixtureBlocks = readdirSync(fixturesDir, { recursive: true })
  .map(String)
  .filter((name) => name.endsWith('.json'))
  .sort()
  .flatMap((name) => {
    const document = JSON.parse(readFileSync(new URL(name, fixturesDir), 'utf8')) as RawTypebot & { typebot?: RawTypebot }
    const groups = document.groups ?? document.typebot?.groups ?? []
    return groups.flatMap((group) => group.blocks.filter((block) => handledTypes.has(block.type)).map((block) => ({ name, block })))
  })

describe('bubble and input block schemas', () => {
  it('cover every bubble and input type (§1.3)', () => {
    expect([...handledTypes].sort()).toEqual(
      [
        'text',
        'image',
        'video',
        'embed',
        'audio',
        'text input',
        'number input',
        'email input',
        'url input',
        'date input',
        'time input',
        'phone number input',
        'choice input',
        'picture choice input',
        'payment input',
        'rating input',
        'file input',
        'cards',
      ].sort(),
    )
  })

  it.each(fixtureBlocks.map(({ name, block }) => [name, block.type, block.id, block] as const))(
    '%s: %s %s parses',
    (_name, type, _id, block) => {
      const result = blockSchemasByType.get(type)?.safeParse(block)
      expect(result?.error).toBeUndefined()
    },
  )

  it('drops the legacy groupId of blocks and blockId of items', () => {
    const parsed = blockSchemasByType.get('choice input')?.parse({
      id: 'b',
      groupId: 'g',
      type: 'choice input',
      items: [{ id: 'i', type: 0, blockId: 'b', content: 'Hi!' }],
      options: { buttonLabel: 'Send', isMultipleChoice: false },
    })
    expect(parsed).toEqual({
      id: 'b',
      type: 'choice input',
      items: [{ id: 'i', content: 'Hi!' }],
      options: { buttonLabel: 'Send', isMultipleChoice: false },
    })
  })

  it('keeps unknown option fields that newer exports add', () => {
    const parsed = blockSchemasByType.get('text input')?.parse({ id: 'b', type: 'text input', options: { isLong: true, newOption: 'x' } })
    expect(parsed).toEqual({ id: 'b', type: 'text input', options: { isLong: true, newOption: 'x' } })
  })

  it.each([
    ['a choice input without items', { id: 'b', type: 'choice input' }],
    ['a boolean option given as text', { id: 'b', type: 'text input', options: { isLong: 'yes' } }],
    ['a rating length given as text', { id: 'b', type: 'rating input', options: { length: '10' } }],
    ['rich text that is not a list', { id: 'b', type: 'text', content: { richText: 'Hello' } }],
    [
      'a nested rich-text leaf with a number as text',
      { id: 'b', type: 'text', content: { richText: [{ type: 'p', children: [{ text: 1 }] }] } },
    ],
  ])('rejects %s', (_name, block) => {
    expect(blockSchemasByType.get(block.type)?.safeParse(block).success).toBe(false)
  })
})
