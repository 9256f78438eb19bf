import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { migrateTypebot } from '../migrate-typebot.js'
import { emailBlockSchema, integrationBlockSchemas, webhookBlockSchema } from './integrations.js'

const fixturesDir = new URL('../../../test/fixtures/reference/typebots/', import.meta.url)
const fixtureNames = readdirSync(fixturesDir, { recursive: true })
  .map(String)
  .filter((name) => name.endsWith('.json'))
  .sort()

const schemasByType = new Map(integrationBlockSchemas.map((schema) => [schema.shape.type.value as string, schema]))

function integrationBlocksOf(name: string): { type: string }[] {
  const document = migrateTypebot(JSON.parse(readFileSync(new URL(name, fixturesDir), 'utf8'))) as {
    groups?: { blocks?: { type: string }[] }[]
  }
  return (document.groups ?? []).flatMap((group) => group.blocks ?? []).filter((block) => schemasByType.has(block.type))
}

describe('integration block schemas', () => {
  it('covers every built-in integration type once and no forged block', () => {
    expect([...schemasByType.keys()].sort()).toEqual(
      ['Chatwoot', 'Email', 'Google Analytics', 'Google Sheets', 'Make.com', 'OpenAI', 'Pabbly', 'Pixel', 'Webhook', 'Zapier'].sort(),
    )
  })

  it('finds integration blocks in the fixtures', () => {
    expect(fixtureNames.flatMap(integrationBlocksOf).length).toBe(7)
  })

  it.each(fixtureNames)('parses the integration blocks of %s', (name) => {
    for (const block of integrationBlocksOf(name)) {
      const result = schemasByType.get(block.type)!.safeParse(block)
      expect(result.error?.issues ?? []).toEqual([])
    }
  })

  it.each([
    ['null fields of older exports read as absent', { url: null, body: null, method: 'GET' }, { method: 'GET' }],
    [
      'header cells holding numbers become text',
      { headers: [{ id: 'h', key: 'X-Count', value: 3 }] },
      { headers: [{ id: 'h', key: 'X-Count', value: '3' }] },
    ],
  ])('webhook options: %s', (_title, webhook, expected) => {
    const parsed = webhookBlockSchema.parse({ id: 'b', type: 'Webhook', options: { webhook } })
    expect(parsed.options?.webhook).toEqual(expected)
  })

  it('keeps option fields it does not know and drops block fields of v4 exports', () => {
    const parsed = emailBlockSchema.parse({ id: 'b', type: 'Email', groupId: 'g', options: { recipients: ['a@b.c'], futureOption: 1 } })
    expect(parsed).toEqual({ id: 'b', type: 'Email', options: { recipients: ['a@b.c'], futureOption: 1 } })
  })
})
