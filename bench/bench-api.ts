import { parseConfig } from '../src/config.js'
import { createStore } from '../src/storage/create-store.js'
import { createUserWithToken } from '../src/typebots/create-user-with-token.js'
import type { BenchTypebot } from './bench-flows.js'

export type BenchOwner = { token: string; workspaceId: string }

/** A user, their workspace and an API token, created in the database before the server starts (as `botflow token create` does). */
export async function createBenchOwner(databaseUrl: string): Promise<BenchOwner> {
  const store = await createStore(parseConfig({ DATABASE_URL: databaseUrl }).database)
  try {
    const { apiToken, workspace } = await createUserWithToken(store, { email: 'bench@example.com', tokenName: 'bench' })
    return { token: apiToken.token, workspaceId: workspace.id }
  } finally {
    await store.close()
  }
}

/** The set-up calls of the public API, as a user makes them; any non-2xx answer throws with its body. */
export function createBenchApi(baseUrl: string, owner: BenchOwner) {
  async function call(method: string, path: string, body: unknown, isAuthenticated: boolean): Promise<Record<string, unknown>> {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(isAuthenticated ? { authorization: `Bearer ${owner.token}` } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    })
    const text = await response.text()
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 500)}`)
    const parsed: unknown = text ? JSON.parse(text) : {}
    return readRecord(parsed)
  }

  return {
    /** Imports the flow, gives it a public id and publishes it; returns the typebot id. */
    async publishFlow(flow: BenchTypebot, publicId: string): Promise<string> {
      const imported = await call('POST', '/api/v1/typebots/import', { workspaceId: owner.workspaceId, typebot: flow }, true)
      const typebotId = readString(readRecord(imported.typebot).id, 'typebot.id')
      await call('PATCH', `/api/v1/typebots/${typebotId}`, { typebot: { publicId } }, true)
      await call('POST', `/api/v1/typebots/${typebotId}/publish`, {}, true)
      return typebotId
    },

    /** Saves new groups in the draft and publishes them: a new version for updateTypebot to move sessions to. */
    async republish(typebotId: string, flow: BenchTypebot): Promise<void> {
      await call('PATCH', `/api/v1/typebots/${typebotId}`, { typebot: { groups: flow.groups, edges: flow.edges }, overwrite: true }, true)
      await call('POST', `/api/v1/typebots/${typebotId}/publish`, {}, true)
    },

    /** Starts `count` chats, `concurrency` at a time, and returns their session ids. */
    async openSessions(publicId: string, count: number, concurrency = 16): Promise<string[]> {
      const sessionIds: string[] = []
      const startOne = async () => {
        while (sessionIds.length < count) {
          sessionIds.push('')
          const index = sessionIds.length - 1
          const started = await call('POST', `/api/v1/typebots/${publicId}/startChat`, {}, false)
          sessionIds[index] = readString(started.sessionId, 'sessionId')
        }
      }
      await Promise.all(Array.from({ length: concurrency }, startOne))
      return sessionIds
    },

    /** One reply, to check the loop answers before loading it. */
    continueChat: (sessionId: string, message: string) => call('POST', `/api/v1/sessions/${sessionId}/continueChat`, { message }, false),
  }
}

export type BenchApi = ReturnType<typeof createBenchApi>

function readRecord(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null) throw new Error(`expected an object in the answer, got ${JSON.stringify(value)}`)
  return Object.fromEntries(Object.entries(value))
}

function readString(value: unknown, name: string): string {
  if (typeof value !== 'string') throw new Error(`expected ${name} to be a string, got ${JSON.stringify(value)}`)
  return value
}
