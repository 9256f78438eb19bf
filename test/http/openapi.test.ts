import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../helpers/start-server.js'

const builderApiUrl = new URL('../fixtures/reference/openapi/builder-api.json', import.meta.url)

let server: TestServer
let document: any
beforeAll(async () => {
  server = await startTestServer()
  document = await (await fetch(`${server.url}/api/openapi.json`)).json()
})
afterAll(async () => server.close())

describe('GET /api/openapi.json', () => {
  it('documents updateTypebot with the reference summary, description, security and every status', () => {
    const operation = document.paths['/api/v1/sessions/{sessionId}/updateTypebot'].post
    expect(operation.operationId).toBe('updateTypebotInSession')
    expect(operation.summary).toBe('Update typebot in session')
    expect(operation.description).toBe(
      'Update chat session with latest typebot modifications. This is useful when you want to update the typebot in an ongoing session after making changes to it.',
    )
    expect(operation.security).toEqual([{ Authorization: [] }])
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404', '500']))
    expect(document.components.securitySchemes.Authorization).toEqual({ type: 'http', scheme: 'bearer' })
  })

  it('lists the Builder API reads botflow serves, under the same paths', () => {
    for (const path of [
      '/api/v1/typebots/{typebotId}/linkedTypebots',
      '/api/v1/typebots/{typebotId}/collaborators',
      '/api/v1/typebots/{typebotId}/results/{resultId}/logs',
      '/api/v1/typebots/{typebotId}/analytics/stats',
      '/api/v1/workspaces/{workspaceId}/invitations',
    ])
      expect(document.paths[path]?.get, path).toMatchObject({ security: [{ Authorization: [] }] })
  })

  it('serves these operations of the Builder API document, each checked against it by the management tests', () => {
    const builderApi = JSON.parse(readFileSync(builderApiUrl, 'utf8'))
    // Parameter names may differ between the two documents; the shape of the path may not.
    const normalize = (path: string) => path.replace(/^\/api/, '').replace(/\{[^}]+\}/g, '{}')
    const documented = new Set(
      Object.entries(builderApi.paths).flatMap(([path, operations]: [string, any]) =>
        Object.keys(operations).map((method) => `${method.toUpperCase()} ${normalize(path)}`),
      ),
    )
    const served = Object.entries(document.paths)
      .flatMap(([path, operations]: [string, any]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${normalize(path)}`))
      .filter((operation) => documented.has(operation))
    // A new one belongs in this list and in a test that calls expectBuilderApiShape on its answers.
    expect(served.sort()).toEqual(
      [
        'GET /v1/workspaces',
        'POST /v1/workspaces',
        'GET /v1/workspaces/{}',
        'GET /v1/workspaces/{}/members',
        'GET /v1/workspaces/{}/invitations',
        'POST /v1/typebots',
        'GET /v1/typebots',
        'POST /v1/typebots/import',
        'GET /v1/typebots/{}',
        'PATCH /v1/typebots/{}',
        'DELETE /v1/typebots/{}',
        'POST /v1/typebots/{}/publish',
        'POST /v1/typebots/{}/unpublish',
        'GET /v1/typebots/{}/publishedTypebot',
        'GET /v1/typebots/{}/collaborators',
        'GET /v1/typebots/{}/linkedTypebots',
        'GET /v1/typebots/{}/analytics/stats',
        'GET /v1/typebots/{}/webhookBlocks',
        'GET /v1/typebots/{}/webhookBlocks/{}/getResultExample',
        'POST /v1/typebots/{}/webhookBlocks/{}/subscribe',
        'POST /v1/typebots/{}/webhookBlocks/{}/unsubscribe',
        'GET /v1/typebots/{}/results',
        'DELETE /v1/typebots/{}/results',
        'GET /v1/typebots/{}/results/{}',
        'GET /v1/typebots/{}/results/{}/transcript',
        'GET /v1/typebots/{}/results/{}/logs',
        'GET /v1/users/me/api-tokens',
        'POST /v1/users/me/api-tokens',
        'DELETE /v1/users/me/api-tokens/{}',
        // Chat API operations the Builder document repeats: checked against chat-api.json instead.
        'POST /v1/typebots/{}/preview/startChat',
        'POST /v1/sessions/{}/continueChat',
        'POST /v3/generate-upload-url',
      ].sort(),
    )
  })

  it('lists the Chat API operations under the paths clients call', () => {
    const operations = Object.values(document.paths).flatMap((path: any) =>
      Object.values(path).map((operation: any) => operation.operationId),
    )
    expect(operations).toEqual(
      expect.arrayContaining(['startChat', 'startChatPreview', 'continueChat', 'saveClientLogs', 'updateTypebotInSession']),
    )
  })
})
