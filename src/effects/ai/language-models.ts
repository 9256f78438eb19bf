/**
 * One factory per provider: the chat model of its AI SDK package, pointed at the provider's
 * address (or the base URL of the credentials, else of the block) through the guarded fetch.
 * OpenAI and the OpenAI-compatible providers are called at `{baseUrl}/chat/completions`.
 */
import type { AiProvider } from '../../engine/ai-call.js'
import type { AiSdk } from './load-ai-sdk.js'

export const defaultBaseUrls: Record<AiProvider, string> = {
  openai: 'https://api.openai.com/v1',
  'open-router': 'https://openrouter.ai/api/v1',
  'together-ai': 'https://api.together.xyz/v1',
  mistral: 'https://api.mistral.ai/v1',
  groq: 'https://api.groq.com/openai/v1',
  perplexity: 'https://api.perplexity.ai',
  deepseek: 'https://api.deepseek.com/v1',
  anthropic: 'https://api.anthropic.com/v1',
}

export type ProviderAccess = { apiKey: string; baseUrl: string; fetch: typeof fetch }

export function createLanguageModel(sdk: AiSdk, provider: AiProvider, access: ProviderAccess, model: string) {
  const { apiKey, baseUrl: baseURL, fetch } = access
  switch (provider) {
    case 'openai':
      return sdk.openai.createOpenAI({ apiKey, baseURL, fetch }).chat(model)
    case 'anthropic':
      return sdk.anthropic.createAnthropic({ apiKey, baseURL, fetch }).chat(model)
    case 'mistral':
      return sdk.mistral.createMistral({ apiKey, baseURL, fetch }).chat(model)
    case 'open-router':
    case 'together-ai':
    case 'groq':
    case 'perplexity':
    case 'deepseek':
      return sdk.openaiCompatible.createOpenAICompatible({ name: provider, apiKey, baseURL, fetch, includeUsage: true }).chatModel(model)
  }
}

/** OpenAI's own client for what only it offers (Responses API, speech, transcription). */
export function createOpenAiProvider(sdk: AiSdk, access: ProviderAccess) {
  return sdk.openai.createOpenAI({ apiKey: access.apiKey, baseURL: access.baseUrl, fetch: access.fetch })
}

/**
 * Azure OpenAI wants `api-version` in the query and the key in an `api-key` header, which
 * Typebot's OpenAI blocks send when the block sets an API version.
 */
export function withApiVersion(fetcher: typeof fetch, apiVersion: string | undefined, apiKey: string): typeof fetch {
  if (!apiVersion) return fetcher
  return (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input))
    url.searchParams.set('api-version', apiVersion)
    const headers = new Headers(init?.headers)
    headers.set('api-key', apiKey)
    return fetcher(url, { ...init, headers })
  }
}
