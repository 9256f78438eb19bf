import { readFileSync } from 'node:fs'
import { expect } from 'vitest'
import { createUserWithToken } from '../../src/typebots/create-user-with-token.js'
import { validateChatApiResponse } from './chat-api-validator.js'
import type { TestServer } from './start-server.js'

export const fixturesDir = new URL('../../test/fixtures/reference/typebots/', import.meta.url)

export function readFixture(relativePath: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(relativePath, fixturesDir), 'utf8')) as Record<string, unknown>
}

export type HttpResult = { status: number; body: any; headers: Headers }

/** A tiny JSON client over plain fetch, optionally authenticated. */
export function createClient(baseUrl: string, token?: string) {
  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResult> {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    })
    const text = await response.text()
    return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers }
  }
  return {
    get: (path: string, headers?: Record<string, string>) => call('GET', path, undefined, headers),
    post: (path: string, body?: unknown, headers?: Record<string, string>) => call('POST', path, body, headers),
    patch: (path: string, body?: unknown) => call('PATCH', path, body),
    delete: (path: string) => call('DELETE', path),
  }
}

export type Client = ReturnType<typeof createClient>

/** A user with a token and a workspace of their own, the way `botflow token create` makes them. */
export async function createOwner(server: TestServer, email = `owner-${Math.random().toString(36).slice(2)}@example.com`) {
  const { apiToken, workspace, user } = await createUserWithToken(server.store, { email })
  return { token: apiToken.token, workspaceId: workspace.id, userId: user.id, email, client: createClient(server.url, apiToken.token) }
}

export type Owner = Awaited<ReturnType<typeof createOwner>>

/**
 * Imports typebots over HTTP in dependency order, rewriting Typebot-link ids (the fixture's own id
 * or an alias such as "chat-sub-bot") to the ids botflow assigns, then sets publicIds and publishes.
 */
export async function importAndPublish(
  owner: Owner,
  bots: { fixture: string | Record<string, unknown>; alias?: string; publicId?: string; publish?: boolean }[],
) {
  const idMap = new Map<string, string>()
  const ids: string[] = []
  for (const bot of bots) {
    const document = typeof bot.fixture === 'string' ? readFixture(bot.fixture) : bot.fixture
    let json = JSON.stringify(document)
    for (const [from, to] of idMap) json = json.split(`"typebotId":"${from}"`).join(`"typebotId":"${to}"`)
    const imported = await owner.client.post('/api/v1/typebots/import', { workspaceId: owner.workspaceId, typebot: JSON.parse(json) })
    expect(imported.status, JSON.stringify(imported.body)).toBe(200)
    const id: string = imported.body.typebot.id
    if (typeof document.id === 'string') idMap.set(document.id, id)
    if (bot.alias) idMap.set(bot.alias, id)
    if (bot.publicId) {
      const patched = await owner.client.patch(`/api/v1/typebots/${id}`, { typebot: { publicId: bot.publicId } })
      expect(patched.status, JSON.stringify(patched.body)).toBe(200)
    }
    if (bot.publish !== false) {
      const published = await owner.client.post(`/api/v1/typebots/${id}/publish`, {})
      expect(published.status, JSON.stringify(published.body)).toBe(200)
    }
    ids.push(id)
  }
  return ids
}

/** Asserts the response matches Typebot's Chat API document for that operation and status. */
export function expectChatApiShape(operationPath: string, result: HttpResult) {
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
