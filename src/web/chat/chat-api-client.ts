import type { ApiError, ChatTurn, OutgoingMessage, StartChatResponse } from './wire-types.js'

export type ApiResult<T> = { ok: true; body: T } | { ok: false; error: ApiError }

export type ChatApiClient = {
  startChat(publicId: string, body: { prefilledVariables?: Record<string, string> }): Promise<ApiResult<StartChatResponse>>
  /** `message` undefined: "no message", as after a wait or a skipped file input. */
  continueChat(sessionId: string, message: OutgoingMessage | undefined): Promise<ApiResult<ChatTurn>>
  saveClientLogs(sessionId: string, logs: { status: string; description: string; details?: string }[]): Promise<void>
  /** Where to send a file for the input the session waits on (`POST /api/v3/generate-upload-url`). */
  generateUploadUrl(body: {
    sessionId: string
    blockId: string
    fileName: string
    fileType: string
    fileSize: number
  }): Promise<ApiResult<UploadTarget>>
  /** The AI answer a `stream` action announced, as the response body to read. */
  streamMessage(sessionId: string): Promise<ApiResult<ReadableStream<Uint8Array>>>
}

export type UploadTarget = { presignedUrl: string; formData?: Record<string, string>; fileUrl: string }

/**
 * The Chat API operations the page uses (all in /api/openapi.json). Failures come back as
 * values: status 0 is a network failure.
 */
export function createChatApiClient(apiBase: string, options: { iframeReferrerOrigin?: string } = {}): ChatApiClient {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  // Lets a typebot's allowedOrigins accept the site that embeds this page (Chat API §3.0.5).
  if (options.iframeReferrerOrigin) headers['x-typebot-iframe-referrer-origin'] = options.iframeReferrerOrigin

  async function post<T>(path: string, body: unknown): Promise<ApiResult<T>> {
    let response: Response
    try {
      response = await fetch(`${apiBase}${path}`, { method: 'POST', headers, body: JSON.stringify(body) })
    } catch {
      return { ok: false, error: { status: 0, message: 'Network error' } }
    }
    const payload: unknown = await response.json().catch(() => undefined)
    if (response.ok && payload !== undefined) return { ok: true, body: payload as T }
    return { ok: false, error: toApiError(response.status, payload) }
  }

  return {
    startChat: (publicId, body) =>
      post(`/api/v1/typebots/${encodeURIComponent(publicId)}/startChat`, {
        ...body,
        textBubbleContentFormat: 'richText',
        isStreamEnabled: true,
      }),
    continueChat: (sessionId, message) =>
      post(`/api/v1/sessions/${encodeURIComponent(sessionId)}/continueChat`, {
        ...(message ? { message } : {}),
        textBubbleContentFormat: 'richText',
      }),
    async saveClientLogs(sessionId, logs) {
      await post(`/api/v2/sessions/${encodeURIComponent(sessionId)}/clientLogs`, { clientLogs: logs })
    },
    generateUploadUrl: (body) => post('/api/v3/generate-upload-url', body),
    async streamMessage(sessionId) {
      let response: Response
      try {
        response = await fetch(`${apiBase}/api/v2/sessions/${encodeURIComponent(sessionId)}/streamMessage`, {
          method: 'POST',
          headers,
          body: '{}',
        })
      } catch {
        return { ok: false, error: { status: 0, message: 'Network error' } }
      }
      if (response.ok && response.body) return { ok: true, body: response.body }
      return { ok: false, error: toApiError(response.status, await response.json().catch(() => undefined)) }
    },
  }
}

function toApiError(status: number, payload: unknown): ApiError {
  if (payload && typeof payload === 'object') {
    const { message, code } = payload as { message?: unknown; code?: unknown }
    if (typeof message === 'string') return { status, message, code: typeof code === 'string' ? code : undefined }
  }
  return { status, message: `Request failed (${status})` }
}
