import { expect } from 'vitest'
import type { ApiClient, ApiResponse } from './api-client.js'
import { expectBuilderApiShape } from './builder-api-validator.js'
import { expectChatApiShape, textOf } from './chat-fixtures.js'
import type { TestUser } from './users.js'

export const startPath = '/v1/typebots/{publicId}/startChat'
export const previewPath = '/v1/typebots/{typebotId}/preview/startChat'
export const continuePath = '/v1/sessions/{sessionId}/continueChat'
export const clientLogsPath = '/v2/sessions/{sessionId}/clientLogs'

type Headers = Record<string, string>

/**
 * The Chat API operations over `call`, for black-box conversation tests: every answer must be
 * below 500, and every 200 body must match Typebot's chat-api.json for its operation.
 */
export function createChatClient(call: ApiClient) {
  async function post(operation: string | undefined, path: string, body: unknown, headers?: Headers): Promise<ApiResponse> {
    const result = await call('POST', path, { body, headers })
    expect(result.status, `POST ${path} answered ${result.status}: ${JSON.stringify(result.body)}`).toBeLessThan(500)
    if (result.status === 200 && operation) expectChatApiShape(operation, result)
    return result
  }
  return {
    start: (publicId: string, body: unknown = {}, headers?: Headers) =>
      post(startPath, `/v1/typebots/${publicId}/startChat`, body, headers),
    preview: (typebotId: string, body: unknown = {}, headers?: Headers) =>
      post(previewPath, `/v1/typebots/${typebotId}/preview/startChat`, body, headers),
    /** `message` undefined sends no message field; `extra` adds body fields (textBubbleContentFormat). */
    reply: (sessionId: string, message?: unknown, extra: Record<string, unknown> = {}, headers?: Headers) =>
      post(continuePath, `/v1/sessions/${sessionId}/continueChat`, message === undefined ? extra : { message, ...extra }, headers),
    /** A raw body (string for malformed JSON) to continueChat. */
    replyRaw: (sessionId: string, body: unknown, headers?: Headers) =>
      post(continuePath, `/v1/sessions/${sessionId}/continueChat`, body, headers),
    clientLogs: (sessionId: string, clientLogs: unknown[], version: 'v1' | 'v2' = 'v2', headers?: Headers) =>
      post(version === 'v2' ? clientLogsPath : undefined, `/${version}/sessions/${sessionId}/clientLogs`, { clientLogs }, headers),
  }
}

export type ChatClient = ReturnType<typeof createChatClient>

/** Starts a live conversation that must succeed; `reply` continues that session. */
export async function startConversation(chat: ChatClient, publicId: string, body: unknown = {}) {
  const start = await chat.start(publicId, body)
  expect(start.status, JSON.stringify(start.body)).toBe(200)
  const sessionId: string = start.body.sessionId
  return { start, sessionId, reply: (message?: unknown, extra?: Record<string, unknown>) => chat.reply(sessionId, message, extra) }
}

/** Starts a preview conversation (Bearer token of `owner`) that must succeed. */
export async function startPreview(owner: TestUser, typebotId: string, body: unknown = {}) {
  const chat = createChatClient(owner.call)
  const start = await chat.preview(typebotId, body)
  expect(start.status, JSON.stringify(start.body)).toBe(200)
  const sessionId: string = start.body.sessionId
  return { start, sessionId, reply: (message?: unknown, extra?: Record<string, unknown>) => chat.reply(sessionId, message, extra) }
}

/** The plain texts of a chat answer's text bubbles (other bubbles give ''). */
export function textsOf(result: ApiResponse): string[] {
  return (result.body?.messages ?? []).map(textOf)
}

/** The single paragraph Typebot sends for a plain text bubble. */
export const paragraph = (...leaves: string[]) => [{ type: 'p', children: leaves.map((text) => ({ text })) }]

/** The result of a typebot whose last chat session is `sessionId`, read through the results API. */
export async function findResultOfSession(owner: TestUser, typebotId: string, sessionId: string) {
  const listed = await owner.call('GET', `/v1/typebots/${typebotId}/results?limit=100`)
  expect(listed.status, JSON.stringify(listed.body)).toBe(200)
  return listed.body.results.find((result: any) => result.lastChatSessionId === sessionId)
}

/** The result with that id, read through the results API. */
export async function getResult(owner: TestUser, typebotId: string, resultId: string) {
  const found = await owner.call('GET', `/v1/typebots/${typebotId}/results/${resultId}`)
  expect(found.status, JSON.stringify(found.body)).toBe(200)
  expectBuilderApiShape(found)
  return found.body.result
}

export const answerContents = (result: { answers: { content: string }[] }) => result.answers.map((answer) => answer.content)
