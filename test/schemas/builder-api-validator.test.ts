import { describe, expect, it } from 'vitest'
import type { ApiResponse } from '../helpers/api-client.js'
import { expectBuilderApiShape, validateBuilderApiResponse } from '../helpers/builder-api-validator.js'

const workspace = {
  id: 'clworkspace00000000000000',
  name: 'Mine',
  icon: null,
  plan: 'UNLIMITED',
  createdAt: '2026-12-06T10:00:00.000Z',
  updatedAt: '2026-12-06T10:00:00.000Z',
  stripeId: null,
  settings: null,
  customChatsLimit: null,
  customSeatsLimit: null,
  isSuspended: false,
  isPastDue: false,
  isVerified: null,
  chatsHardLimit: null,
  lastActivityAt: null,
}

function responseOf(method: string, path: string, status: number, body: unknown): ApiResponse {
  return { status, body, headers: new Headers(), request: { method, path } }
}

describe('validateBuilderApiResponse', () => {
  it('accepts a workspace shaped like Typebot’s and refuses one with a missing or mistyped field', () => {
    const path = '/v1/workspaces/{workspaceId}'
    expect(validateBuilderApiResponse(path, 'get', 200, { workspace, currentUserMode: 'write' })).toEqual({ valid: true, errors: [] })
    const { stripeId: _stripeId, ...withoutStripeId } = workspace
    expect(validateBuilderApiResponse(path, 'get', 200, { workspace: withoutStripeId, currentUserMode: 'write' }).errors.join()).toContain(
      'stripeId',
    )
    const notADate = { workspace: { ...workspace, createdAt: 'yesterday' }, currentUserMode: 'write' }
    expect(validateBuilderApiResponse(path, 'get', 200, notADate).errors.join()).toContain('/workspace/createdAt')
    expect(validateBuilderApiResponse(path, 'get', 200, { workspace, currentUserMode: 'admin' }).valid).toBe(false)
  })

  it('says so when the document declares no such operation', () => {
    expect(validateBuilderApiResponse('/v1/nothing', 'get', 200, {})).toEqual({
      valid: false,
      errors: ['The Builder API has no GET /v1/nothing'],
    })
  })
})

describe('expectBuilderApiShape', () => {
  it('finds the operation from the request, a literal segment before a parameter', () => {
    expectBuilderApiShape(responseOf('GET', '/v1/workspaces/w1?x=1', 200, { workspace, currentUserMode: 'read' }))
    expect(() => expectBuilderApiShape(responseOf('POST', '/v1/typebots/import', 200, { message: 'success' }))).toThrow()
  })

  it('checks an error body as our envelope: the code the document gives the status, a message', () => {
    expectBuilderApiShape(responseOf('GET', '/v1/workspaces/w1', 404, { message: 'Workspace not found', code: 'NOT_FOUND' }))
    expect(() => expectBuilderApiShape(responseOf('GET', '/v1/workspaces/w1', 404, { message: 'Nope', code: 'FORBIDDEN' }))).toThrow()
    expect(() => expectBuilderApiShape(responseOf('GET', '/v1/workspaces/w1', 404, { code: 'NOT_FOUND' }))).toThrow()
  })

  it('excuses only the missing fields a test names', () => {
    const deleted = { apiToken: { id: 't1', name: 'Zapier', createdAt: '2026-12-06T10:00:00.000Z', ownerId: 'u1' } }
    const response = responseOf('DELETE', '/v1/users/me/api-tokens/t1', 200, deleted)
    expect(() => expectBuilderApiShape(response)).toThrow()
    expectBuilderApiShape(response, { missing: ['/apiToken/token'] })
    expect(() => expectBuilderApiShape(response, { missing: ['/apiToken/name'] })).toThrow()
  })

  it('reads a void output as no body, and excuses a body or a retyped field only when told', () => {
    const deleted = responseOf('DELETE', '/v1/typebots/t1/results', 200, { message: 'success', deletedCount: 1 })
    expect(() => expectBuilderApiShape(deleted)).toThrow()
    expectBuilderApiShape(deleted, { extraBody: true })
    expectBuilderApiShape(responseOf('DELETE', '/v1/typebots/t1/results', 200, undefined))
    const page = responseOf('GET', '/v1/typebots/t1/results', 200, { results: [], nextCursor: 'r1' })
    expect(() => expectBuilderApiShape(page)).toThrow()
    expectBuilderApiShape(page, { retyped: ['/nextCursor'] })
  })

  it('fails for a request the document does not describe', () => {
    expect(() => expectBuilderApiShape(responseOf('GET', '/v1/typebots/t1/results/r1/answers', 200, {}))).toThrow(/documents no GET/)
  })
})
