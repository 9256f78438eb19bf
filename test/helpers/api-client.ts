/** `request` is what was asked (path without `/api`), so assertions can find the operation. */
export type ApiResponse = { status: number; body: any; headers: Headers; request: { method: string; path: string } }

export type ApiRequestOptions = { token?: string; body?: unknown; headers?: Record<string, string> }

export type ApiClient = ReturnType<typeof createApiClient>

/**
 * JSON over fetch against a started test server; paths are below `/api`. `token` (per call, or
 * the client's own) becomes a Bearer header; a string body is sent as it is (malformed JSON tests).
 */
export function createApiClient(baseUrl: string, clientToken?: string) {
  return async function call(method: string, path: string, options: ApiRequestOptions = {}): Promise<ApiResponse> {
    const token = options.token ?? clientToken
    const body = options.body === undefined || typeof options.body === 'string' ? options.body : JSON.stringify(options.body)
    const response = await fetch(`${baseUrl}/api${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...options.headers,
      },
      body,
    })
    const text = await response.text()
    return {
      status: response.status,
      body: text === '' ? undefined : JSON.parse(text),
      headers: response.headers,
      request: { method, path },
    }
  }
}
