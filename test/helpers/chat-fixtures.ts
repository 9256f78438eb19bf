import { readFileSync } from 'node:fs'
import { expect } from 'vitest'
import type { ApiResponse } from './api-client.js'
import { validateChatApiResponse } from './chat-api-validator.js'
import type { TestUser } from './users.js'

export const fixturesDir = new URL('../../test/fixtures/reference/typebots/', import.meta.url)

export function readFixture(relativePath: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(relativePath, fixturesDir), 'utf8')) as Record<string, unknown>
}

/**
 * Imports typebots over HTTP in dependency order, rewriting Typebot-link ids (the fixture's own id
 * or an alias such as "chat-sub-bot") to the ids botflow assigns, then sets publicIds and publishes.
 */
export async function importAndPublish(
  owner: TestUser,
  bots: { fixture: string | Record<string, unknown>; alias?: string; publicId?: string; publish?: boolean }[],
) {
  const idMap = new Map<string, string>()
  const ids: string[] = []
  for (const bot of bots) {
    const document = typeof bot.fixture === 'string' ? readFixture(bot.fixture) : bot.fixture
    let json = JSON.stringify(document)
    for (const [from, to] of idMap) json = json.split(`"typebotId":"${from}"`).join(`"typebotId":"${to}"`)
    const imported = await owner.call('POST', '/v1/typebots/import', {
      body: { workspaceId: owner.workspaceId, typebot: JSON.parse(json) },
    })
    expect(imported.status, JSON.stringify(imported.body)).toBe(200)
    const id: string = imported.body.typebot.id
    if (typeof document.id === 'string') idMap.set(document.id, id)
    if (bot.alias) idMap.set(bot.alias, id)
    if (bot.publicId) {
      const patched = await owner.call('PATCH', `/v1/typebots/${id}`, { body: { typebot: { publicId: bot.publicId } } })
      expect(patched.status, JSON.stringify(patched.body)).toBe(200)
    }
    if (bot.publish !== false) {
      const published = await owner.call('POST', `/v1/typebots/${id}/publish`, { body: {} })
      expect(published.status, JSON.stringify(published.body)).toBe(200)
    }
    ids.push(id)
  }
  return ids
}

/** Asserts the response matches Typebot's Chat API document for that operation and status. */
export function expectChatApiShape(operationPath: string, result: ApiResponse) {
  const validation = validateChatApiResponse(operationPath, 'post', result.status, result.body)
  expect(validation.errors, JSON.stringify(result.body)).toEqual([])
}

export function textOf(message: any): string {
  if (message?.type !== 'text') return ''
  if (message.content.type === 'markdown') return message.content.markdown
  return flatten(message.content.richText)
}

function flatten(nodes: any[]): string {
  return nodes.map((node) => (typeof node.text === 'string' ? node.text : flatten(node.children ?? []))).join('')
}
