import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  createBlockSchema,
  isUnsupportedBlock,
  type ParseTypebotResult,
  parseTypebot,
  type TypebotDocument,
  toStoredTypebot,
} from './typebot.js'

const fixturesDir = new URL('../../test/fixtures/reference/typebots/', import.meta.url)
const fixtureNames = readdirSync(fixturesDir, { recursive: true })
  .map(String)
  .filter((name) => name.endsWith('.json'))
  .sort()

function readFixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(name, fixturesDir), 'utf8'))
}

function parseOrFail(input: unknown): Extract<ParseTypebotResult, { success: true }> {
  const result = parseTypebot(input)
  if (!result.success) throw new Error(`expected a valid typebot, got ${JSON.stringify(result.issues)}`)
  return result
}

function unsupportedTypes(typebot: TypebotDocument): string[] {
  return typebot.groups.flatMap((group) => group.blocks.filter(isUnsupportedBlock).map((block) => block.type))
}

/** Block types the fixtures hold that botflow does not run (forged utility blocks). */
const expectedUnsupportedTypes: Record<string, string[]> = {
  'qr-code.json': ['qr-code'],
}

/** The smallest valid v6.1 document; tests override what they exercise. */
function minimalTypebot(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: '6.1',
    id: 'typebot-1',
    name: 'Minimal',
    events: [{ id: 'start', type: 'start', graphCoordinates: { x: 0, y: 0 }, outgoingEdgeId: 'edge-1' }],
    groups: [{ id: 'group-1', title: 'Group #1', graphCoordinates: { x: 0, y: 0 }, blocks: [{ id: 'block-1', type: 'forged-thing' }] }],
    edges: [{ id: 'edge-1', from: { eventId: 'start' }, to: { groupId: 'group-1' } }],
    variables: [{ id: 'var-1', name: 'Name' }],
    theme: {},
    settings: {},
    ...overrides,
  }
}

describe('parseTypebot on the reference exports', () => {
  it.each(fixtureNames)('parses %s and warns only about the block types botflow does not run', (name) => {
    const { typebot, warnings } = parseOrFail(readFixture(name))
    const expected = expectedUnsupportedTypes[name] ?? []
    expect(unsupportedTypes(typebot)).toEqual(expected)
    expect(warnings).toHaveLength(expected.length)
    warnings.forEach((warning, index) => expect(warning).toContain(`"${expected[index]}"`))
  })

  it.each(fixtureNames)('reads %s back unchanged after storing it', (name) => {
    const first = parseOrFail(readFixture(name)).typebot
    const stored = JSON.parse(JSON.stringify(toStoredTypebot(first)))
    const second = parseOrFail(stored).typebot
    expect(JSON.stringify(stored)).not.toContain('isUnsupported')
    for (const field of ['groups', 'edges', 'variables', 'events', 'version'] as const) expect(second[field]).toEqual(first[field])
  })
})

describe('unsupported blocks', () => {
  it('keeps every field of a forged block, marks it at runtime and unmarks it for storage', () => {
    const forged = { id: 'qr', type: 'qr-code', options: { data: '{{Url}}', saveUrlInVariableId: 'var-1' }, outgoingEdgeId: 'edge-2' }
    const { typebot, warnings } = parseOrFail(minimalTypebot({ groups: [{ id: 'group-1', title: 'G', blocks: [forged] }] }))
    expect(typebot.groups[0]?.blocks[0]).toEqual({ ...forged, isUnsupported: true })
    expect(warnings.filter((warning) => warning.includes('"qr-code"'))).toHaveLength(1)
    const storedBlock = toStoredTypebot(typebot).groups[0]?.blocks[0]
    expect(storedBlock).toEqual(forged)
  })

  it('runs the forged AI blocks and keeps their options as they are', () => {
    const { typebot, warnings } = parseOrFail(readFixture('basic-chat-completion.json'))
    const block = typebot.groups.flatMap((group) => group.blocks).find((candidate) => candidate.type === 'mistral')
    expect(block).toMatchObject({ id: 'p4q3wbk4wcw818qocrvu7dxs', options: { model: 'mistral-small-latest', credentialsId: 'mistral' } })
    expect(block).not.toHaveProperty('isUnsupported')
    expect(warnings).toEqual([])
  })

  it('keeps an unknown block type with its outgoing edge', () => {
    const { typebot } = parseOrFail(
      minimalTypebot({
        groups: [{ id: 'group-1', title: 'G', blocks: [{ id: 'b', type: 'teleport', outgoingEdgeId: 'edge-9', power: 3 }] }],
      }),
    )
    expect(typebot.groups[0]!.blocks[0]).toEqual({ id: 'b', type: 'teleport', outgoingEdgeId: 'edge-9', power: 3, isUnsupported: true })
  })
})

describe('parseTypebot structural problems', () => {
  const cases: { title: string; input: unknown; path: (string | number)[] }[] = [
    {
      title: 'a block without id',
      input: minimalTypebot({ groups: [{ id: 'g', title: 'G', blocks: [{ type: 'text' }] }] }),
      path: ['groups', 0, 'blocks', 0, 'id'],
    },
    {
      title: 'a block without type',
      input: minimalTypebot({
        groups: [
          { id: 'g', title: 'G', blocks: [] },
          { id: 'h', title: 'H', blocks: [{ id: 'b' }] },
        ],
      }),
      path: ['groups', 1, 'blocks', 0, 'type'],
    },
    {
      title: 'a group without a blocks array',
      input: minimalTypebot({
        groups: [
          { id: 'g', title: 'G', blocks: [] },
          { id: 'h', title: 'H' },
        ],
      }),
      path: ['groups', 1, 'blocks'],
    },
    {
      title: 'an edge without to.groupId',
      input: minimalTypebot({ edges: [{ id: 'e', from: { eventId: 'start' }, to: { blockId: 'b' } }] }),
      path: ['edges', 0, 'to', 'groupId'],
    },
    {
      title: 'an edge whose source is neither an event nor a block',
      input: minimalTypebot({ edges: [{ id: 'e', from: { groupId: 'g' }, to: { groupId: 'g' } }] }),
      path: ['edges', 0, 'from'],
    },
    {
      title: 'events that do not start with the start event',
      input: minimalTypebot({ events: [{ id: 'c', type: 'command', options: { command: 'go' } }] }),
      path: ['events', 0, 'type'],
    },
    {
      title: 'a second start event',
      input: minimalTypebot({
        events: [
          { id: 's', type: 'start' },
          { id: 't', type: 'start' },
        ],
      }),
      path: ['events', 1, 'type'],
    },
    { title: 'no events at all', input: minimalTypebot({ events: [] }), path: ['events'] },
    {
      title: 'a command event whose command is not text',
      input: minimalTypebot({
        events: [
          { id: 's', type: 'start' },
          { id: 'c', type: 'command', options: { command: 7 } },
        ],
      }),
      path: ['events', 1, 'options', 'command'],
    },
    {
      title: 'an unknown event type',
      input: minimalTypebot({
        events: [
          { id: 's', type: 'start' },
          { id: 'x', type: 'timer' },
        ],
      }),
      path: ['events', 1, 'type'],
    },
    { title: 'a version botflow does not know', input: minimalTypebot({ version: '7' }), path: ['version'] },
    { title: 'a public id with spaces', input: minimalTypebot({ publicId: 'my bot' }), path: ['publicId'] },
    {
      title: 'allowed origins that are not a list',
      input: minimalTypebot({ settings: { security: { allowedOrigins: 'https://a.example' } } }),
      path: ['settings', 'security', 'allowedOrigins'],
    },
    {
      title: 'a variable value that is a number',
      input: minimalTypebot({ variables: [{ id: 'v', name: 'Age', value: 3 }] }),
      path: ['variables', 0, 'value'],
    },
    { title: 'a document that is not an object', input: 'hello', path: [] },
  ]

  it.each(cases)('reports $title at its path', ({ input, path }) => {
    const result = parseTypebot(input)
    expect(result.success).toBe(false)
    if (result.success) return
    expect(result.issues.map((issue) => issue.path)).toContainEqual(path)
    for (const issue of result.issues) expect(issue.message).not.toBe('')
  })

  it.each([null, undefined, 42, [], { groups: 'none' }, { version: '4', groups: [null, 3] }].map((input) => ({ input })))(
    'never throws on junk input ($input)',
    ({ input }) => {
      expect(parseTypebot(input).success).toBe(false)
    },
  )

  it('points at the field of a known block that its schema refuses', () => {
    const result = parseTypebot(
      minimalTypebot({
        groups: [
          { id: 'g', title: 'G', blocks: [] },
          { id: 'h', title: 'H', blocks: [{ id: 'b', type: 'text input', options: { variableId: 42 } }] },
        ],
      }),
    )
    expect(result.success).toBe(false)
    if (result.success) return
    expect(result.issues.map((issue) => issue.path)).toContainEqual(['groups', 1, 'blocks', 0, 'options', 'variableId'])
  })
})

describe('block dispatch', () => {
  const ratingSchema = z.object({
    id: z.string(),
    type: z.literal('rating input'),
    outgoingEdgeId: z.string().optional(),
    options: z.object({ length: z.number().optional() }).optional(),
  })
  const documentSchema = z.object({
    groups: z.array(z.object({ blocks: z.array(createBlockSchema(new Map([['rating input', ratingSchema]]))) })),
  })

  it('validates a block with the schema registered for its type, dropping fields outside it', () => {
    const result = documentSchema.parse({
      groups: [{ blocks: [{ id: 'r', type: 'rating input', groupId: 'legacy', options: { length: 5 } }] }],
    })
    expect(result.groups[0]!.blocks[0]).toEqual({ id: 'r', type: 'rating input', options: { length: 5 } })
  })

  it('runs a block of a known type even when a stored copy carries the unsupported marker', () => {
    const looseSchema = z.looseObject({ id: z.string(), type: z.literal('rating input') })
    const looseBlockSchema = createBlockSchema(new Map([['rating input', looseSchema]]))
    const block = looseBlockSchema.parse({ id: 'r', type: 'rating input', isUnsupported: true })
    expect(isUnsupportedBlock(block)).toBe(false)
    expect(block).toEqual({ id: 'r', type: 'rating input' })
  })

  it('reports what the registered schema refuses at the path inside the document', () => {
    const result = documentSchema.safeParse({
      groups: [
        { blocks: [] },
        {
          blocks: [
            { id: 'ok', type: 'other' },
            { id: 'r', type: 'rating input', options: { length: 'ten' } },
          ],
        },
      ],
    })
    expect(result.success).toBe(false)
    expect(result.error?.issues.map((issue) => issue.path)).toEqual([['groups', 1, 'blocks', 1, 'options', 'length']])
  })
})

describe('document fields', () => {
  it('accepts the builder fields of a draft export and keeps unknown top-level fields', () => {
    const { typebot } = parseOrFail(
      minimalTypebot({
        publicId: 'my-bot.v2',
        customDomain: null,
        icon: null,
        folderId: null,
        isArchived: false,
        isClosed: true,
        riskLevel: null,
        resultsTablePreferences: { columnsOrder: [] },
        createdAt: '2024-01-01T00:00:00.000Z',
        somethingNew: { kept: true },
      }),
    )
    expect(typebot).toMatchObject({ publicId: 'my-bot.v2', isClosed: true, somethingNew: { kept: true } })
  })

  it('fills what a hand-written document may leave out', () => {
    const { typebot } = parseOrFail(
      minimalTypebot({ name: undefined, edges: undefined, variables: undefined, theme: undefined, settings: undefined }),
    )
    expect(typebot).toMatchObject({ name: '', edges: [], variables: [], theme: {}, settings: {} })
  })

  it('types the settings and theme the server reads and keeps the rest', () => {
    const { typebot } = parseOrFail(
      minimalTypebot({
        settings: {
          general: { systemMessages: { invalidMessage: 'Nope' }, rememberUser: { isEnabled: true, storage: 'local' } },
          security: { allowedOrigins: ['https://a.example'] },
          futureSetting: 1,
        },
        theme: { chat: { hostAvatar: { isEnabled: false } }, general: { progressBar: { isEnabled: true, placement: 'Bottom' } } },
      }),
    )
    expect(typebot.settings.general?.systemMessages?.invalidMessage).toBe('Nope')
    expect(typebot.settings.security?.allowedOrigins).toEqual(['https://a.example'])
    expect(typebot.settings.futureSetting).toBe(1)
    expect(typebot.theme.general?.progressBar?.placement).toBe('Bottom')
  })

  it('migrates an old export while parsing it', () => {
    const { typebot } = parseOrFail(readFixture('predefinedVariables.json'))
    expect(typebot.version).toBe('6.1')
    expect(typebot.events[0]).toMatchObject({ type: 'start', outgoingEdgeId: 'cl13bgz4800062e6dv7ejcchb' })
  })
})
