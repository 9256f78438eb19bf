import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../helpers/start-server.js'

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

  it('lists the Chat API operations under the paths clients call', () => {
    const operations = Object.values(document.paths).flatMap((path: any) =>
      Object.values(path).map((operation: any) => operation.operationId),
    )
    expect(operations).toEqual(
      expect.arrayContaining(['startChat', 'startChatPreview', 'continueChat', 'saveClientLogs', 'updateTypebotInSession']),
    )
  })
})
