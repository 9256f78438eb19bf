/**
 * What an AI block asks the shell to run (src/effects/ai/) and what comes back. Secrets never
 * appear here: a call names credentials by id and the shell opens them.
 */

import { aiProviders } from '../schemas/blocks/ai.js'

export { aiProviders }

export type AiProvider = (typeof aiProviders)[number]

export type AiMessage = { role: 'system' | 'user' | 'assistant'; content: string }

/** A function the model may call; `code` runs in the sandbox with the arguments bound by name. */
export type AiTool = { name: string; description?: string; parameters: Record<string, unknown>; code: string }

export type AiTask =
  | {
      type: 'chat'
      messages: AiMessage[]
      temperature?: number
      maxTokens?: number
      tools: AiTool[]
      /** User messages may carry image URLs (models that read images). */
      isVisionEnabled: boolean
    }
  /** OpenAI's Responses API (the "Ask Model" action): one message, the conversation kept by OpenAI. */
  | {
      type: 'respond'
      message: string
      instructions?: string
      previousResponseId?: string
      temperature?: number
      tools: AiTool[]
      vectorStoreIds: string[]
      fileSearchMaxResults?: number
      fileSearchScoreThreshold?: number
      isWebSearchEnabled: boolean
      isCodeInterpreterEnabled: boolean
      isVisionEnabled: boolean
    }
  /** Structured output: a JSON object matching `schema` ("Generate variables"). */
  | { type: 'object'; prompt: string; schema: Record<string, unknown> }
  | { type: 'speech'; input: string; voice: string; instructions?: string }
  | { type: 'transcription'; url: string; prompt?: string }

export type AiCall = {
  provider: AiProvider
  credentialsId: string
  /** The block's own base URL (deprecated option); a base URL in the credentials wins. */
  baseUrl?: string
  /** Azure OpenAI's `api-version`. */
  apiVersion?: string
  model: string
  task: AiTask
}

export type AiUsage = { totalTokens?: number; inputTokens?: number; outputTokens?: number }

export type AiVariableWrite = { name: string; value: unknown }

export type AiOutcome =
  | {
      ok: true
      text?: string
      object?: Record<string, unknown>
      usage?: AiUsage
      responseId?: string
      fileUrl?: string
      /** `setVariable(name, value)` calls of tool code. */
      variablesToSet: AiVariableWrite[]
    }
  | { ok: false; log: { status: 'error'; description: string; details?: string; context?: string }; variablesToSet: AiVariableWrite[] }
