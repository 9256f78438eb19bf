import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { migrateTypebot } from './migrate-typebot.js'

const fixturesDir = new URL('../../test/fixtures/reference/typebots/', import.meta.url)

function readFixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(name, fixturesDir), 'utf8'))
}

type MigratedTypebot = {
  version: string
  events: { id: string; type: string; outgoingEdgeId?: string; graphCoordinates?: unknown }[]
  groups: { id: string; blocks: Record<string, unknown>[] }[]
  edges: { id: string; from: Record<string, unknown>; to: Record<string, unknown> }[]
}

// The migration returns `unknown` (its input is untrusted); tests read its output by this shape.
function migrate(raw: unknown): MigratedTypebot {
  return migrateTypebot(raw) as MigratedTypebot
}

function legacyTypebot(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: '5',
    id: 'legacy',
    name: 'Legacy',
    events: null,
    groups: [
      {
        id: 'start-group',
        title: 'Start',
        graphCoordinates: { x: 10, y: 20 },
        blocks: [{ id: 'start-block', type: 'start', label: 'Start', groupId: 'start-group', outgoingEdgeId: 'edge-start' }],
      },
      {
        id: 'group-1',
        title: 'Group #1',
        graphCoordinates: { x: 300, y: 0 },
        blocks: [
          {
            id: 'choice',
            type: 'choice input',
            groupId: 'group-1',
            items: [{ id: 'item-1', type: 0, blockId: 'choice', content: 'Yes', outgoingEdgeId: 'edge-item' }],
          },
        ],
      },
    ],
    edges: [
      { id: 'edge-start', from: { blockId: 'start-block', groupId: 'start-group' }, to: { groupId: 'group-1' } },
      { id: 'edge-item', from: { blockId: 'choice', itemId: 'item-1', groupId: 'group-1' }, to: { groupId: 'group-1' } },
    ],
    variables: [],
    theme: {},
    settings: {},
    ...overrides,
  }
}

describe('migrateTypebot from v3-v5', () => {
  it.each(['predefinedVariables.json', 'sendEmail.json'])('turns the v4 export %s into 6.1 with a start event', (name) => {
    const raw = readFixture(name)
    const rawStartGroup = (
      raw.groups as { id: string; graphCoordinates: unknown; blocks: { type: string; outgoingEdgeId: string }[] }[]
    )[0]!
    const startEdgeId = rawStartGroup.blocks[0]!.outgoingEdgeId

    const migrated = migrate(raw)

    expect(migrated.version).toBe('6.1')
    expect(migrated.events).toEqual([
      { id: rawStartGroup.id, type: 'start', graphCoordinates: rawStartGroup.graphCoordinates, outgoingEdgeId: startEdgeId },
    ])
    expect(migrated.groups.map((group) => group.id)).not.toContain(rawStartGroup.id)
    expect(migrated.edges.find((edge) => edge.id === startEdgeId)?.from).toEqual({ eventId: rawStartGroup.id })
    const blocks = migrated.groups.flatMap((group) => group.blocks)
    expect(blocks.map((block) => block.type)).not.toContain('start')
    for (const block of blocks) expect(block).not.toHaveProperty('groupId')
  })

  it('makes the start block group the start event and rewrites the start edge', () => {
    const migrated = migrate(legacyTypebot())
    expect(migrated.events).toEqual([
      { id: 'start-group', type: 'start', graphCoordinates: { x: 10, y: 20 }, outgoingEdgeId: 'edge-start' },
    ])
    expect(migrated.groups.map((group) => group.id)).toEqual(['group-1'])
    expect(migrated.edges).toEqual([
      { id: 'edge-start', from: { eventId: 'start-group' }, to: { groupId: 'group-1' } },
      { id: 'edge-item', from: { blockId: 'choice', itemId: 'item-1' }, to: { groupId: 'group-1' } },
    ])
  })

  it('drops the legacy groupId of blocks and the blockId and numeric type of items', () => {
    const [choice] = migrate(legacyTypebot()).groups[0]!.blocks
    expect(choice).toEqual({
      id: 'choice',
      type: 'choice input',
      items: [{ id: 'item-1', content: 'Yes', outgoingEdgeId: 'edge-item' }],
    })
  })

  it('keeps other blocks of the start group in a group', () => {
    const raw = legacyTypebot()
    const [startGroup] = raw.groups as { blocks: unknown[] }[]
    startGroup!.blocks.push({ id: 'orphan', type: 'text', groupId: 'start-group' })
    const migrated = migrate(raw)
    expect(migrated.groups[0]).toMatchObject({ id: 'start-group', blocks: [{ id: 'orphan', type: 'text' }] })
    expect(migrated.events[0]).toMatchObject({ id: 'start-group', outgoingEdgeId: 'edge-start' })
  })

  it.each([
    { title: 'absent', options: undefined, expected: { mergeResults: true } },
    { title: 'unset', options: { typebotId: 't2' }, expected: { typebotId: 't2', mergeResults: true } },
    { title: 'false', options: { typebotId: 't2', mergeResults: false }, expected: { typebotId: 't2', mergeResults: false } },
  ])('writes the pre-v6 mergeResults default into typebot links when it is $title', ({ options, expected }) => {
    const raw = legacyTypebot({
      groups: [
        { id: 'start-group', title: 'Start', blocks: [{ id: 's', type: 'start', outgoingEdgeId: 'e' }] },
        { id: 'g', title: 'G', blocks: [{ id: 'link', type: 'Typebot link', groupId: 'g', options }] },
      ],
      edges: [],
    })
    expect(migrate(raw).groups[0]!.blocks[0]).toEqual({ id: 'link', type: 'Typebot link', options: expected })
  })

  it('treats a document without version as version 3', () => {
    const migrated = migrate(readFixture('api.json'))
    expect(migrated.version).toBe('6.1')
    expect(migrated.events[0]).toMatchObject({ type: 'start', outgoingEdgeId: 'oNvqaqNExdSH2kKEhKZHuE' })
  })

  it('gives groups of a pre-v5 document their missing blocks and drops its malformed edges', () => {
    const migrated = migrate(
      legacyTypebot({
        version: '4',
        groups: [...(legacyTypebot().groups as unknown[]), { id: 'empty', title: 'Empty' }],
        edges: [
          ...(legacyTypebot().edges as unknown[]),
          { id: 'no-target', from: { blockId: 'choice' }, to: {} },
          { from: { blockId: 'choice' }, to: { groupId: 'group-1' } },
          'garbage',
        ],
      }),
    )
    expect(migrated.groups.find((group) => group.id === 'empty')).toEqual({ id: 'empty', title: 'Empty', blocks: [] })
    expect(migrated.edges.map((edge) => edge.id)).toEqual(['edge-start', 'edge-item'])
  })

  it('leaves the malformed edges of a v5 document for the schema to report', () => {
    const migrated = migrate(legacyTypebot({ edges: [{ id: 'no-target', from: { blockId: 'choice' }, to: {} }] }))
    expect(migrated.edges).toEqual([{ id: 'no-target', from: { blockId: 'choice' }, to: {} }])
  })

  it('produces no start event when there is no start block', () => {
    const migrated = migrate(legacyTypebot({ groups: [{ id: 'g', title: 'G', blocks: [{ id: 'b', type: 'text' }] }] }))
    expect(migrated.version).toBe('6.1')
    expect(migrated.events).toEqual([])
  })
})

describe('migrateTypebot leaves alone', () => {
  const v6Fixtures = readdirSync(fixturesDir, { recursive: true })
    .map(String)
    .filter((name) => name.endsWith('.json') && Number(readFixture(name).version) >= 6)

  it.each(v6Fixtures)('the v6 export %s', (name) => {
    const raw = readFixture(name)
    expect(migrateTypebot(raw)).toBe(raw)
    expect(migrateTypebot(raw)).toEqual(readFixture(name))
  })

  it.each([null, 42, 'text', [1, 2], { version: 'beta' }, { version: true }].map((input) => ({ input })))(
    'what is not a typebot of a known version ($input)',
    ({ input }) => {
      expect(migrateTypebot(input)).toBe(input)
    },
  )
})
