/**
 * The AI SDK, loaded on the first AI call: importing it costs about a quarter of a second, which
 * servers without AI blocks (and every start-up) should not pay. The packages stay outside the
 * server bundle (scripts/build-server.mjs) and come from node_modules.
 */
export type AiSdk = {
  ai: typeof import('ai')
  openai: typeof import('@ai-sdk/openai')
  openaiCompatible: typeof import('@ai-sdk/openai-compatible')
  anthropic: typeof import('@ai-sdk/anthropic')
  mistral: typeof import('@ai-sdk/mistral')
}

let loading: Promise<AiSdk> | undefined

export function loadAiSdk(): Promise<AiSdk> {
  loading ??= Promise.all([
    import('ai'),
    import('@ai-sdk/openai'),
    import('@ai-sdk/openai-compatible'),
    import('@ai-sdk/anthropic'),
    import('@ai-sdk/mistral'),
  ]).then(([ai, openai, openaiCompatible, anthropic, mistral]) => ({ ai, openai, openaiCompatible, anthropic, mistral }))
  return loading
}
