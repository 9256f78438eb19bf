/**
 * Performs the AI calls blocks ask for (`ai` effects) with the Vercel AI SDK: opens the block's
 * credentials, points the provider at its address through the guarded fetch (SSRF checks,
 * HTTP_REQUEST_TIMEOUT_MS), runs tools in the sandbox, and turns every failure into an error log
 * with no secret in it. `streamAiCall` yields the answer as it comes, for `streamMessage`.
 */

import { type CredentialsAccess, openChosenCredentials } from '../../credentials/resolve-credentials.js'
import type { AiCall, AiMessage, AiOutcome, AiUsage, AiVariableWrite } from '../../engine/ai-call.js'
import { createGuardedFetch, type GuardedFetchOptions } from '../guarded-fetch.js'
import { toAiErrorLog } from './ai-error-log.js'
import { buildToolSet, type ToolRunner, type ToolVariables } from './ai-tools.js'
import { createLanguageModel, createOpenAiProvider, defaultBaseUrls, type ProviderAccess, withApiVersion } from './language-models.js'
import { type AiSdk, loadAiSdk } from './load-ai-sdk.js'
import { toModelMessages } from './vision-content.js'

export type AiRunnerDeps = {
  credentials: CredentialsAccess
  /** The SSRF policy and the inactivity limit of provider calls. */
  http: Omit<GuardedFetchOptions, 'maxResponseBytes'>
  tools: ToolRunner
}

export type AiStreamPart = { type: 'text'; text: string }

/** Stores a file a call made (speech audio) and answers its public URL; the shell provides it. */
export type SaveAiFile = (file: { bytes: Uint8Array; contentType: string; fileName: string }) => Promise<string>

export type AiRunner = {
  /** `saveFile` is needed by Create speech only. */
  run(call: AiCall, variables: ToolVariables, saveFile?: SaveAiFile): Promise<AiOutcome>
  /** Yields the answer's text as it arrives; returns the outcome (token counts, tool writes, or the error). */
  stream(call: AiCall, variables: ToolVariables, signal: AbortSignal): AsyncGenerator<AiStreamPart, AiOutcome>
}

/** Typebot's forged blocks let a conversation take at most this many model steps (tool rounds). */
const maxSteps = 6
/** OpenAI takes audio files up to 25 MB. */
const maxAudioBytes = 25 * 1024 * 1024

export function createAiRunner(deps: AiRunnerDeps): AiRunner {
  const guardedFetch = createGuardedFetch(deps.http)
  const audioFetch = createGuardedFetch({ ...deps.http, maxResponseBytes: maxAudioBytes })
  return {
    async run(call, variables, saveFile) {
      const access = await openAccess(deps, call, guardedFetch)
      if ('outcome' in access) return access.outcome
      const written: AiVariableWrite[] = []
      try {
        const sdk = await loadAiSdk()
        return await runTask(sdk, call, access, { variables, written, runner: deps.tools, audioFetch, saveFile })
      } catch (error) {
        return { ok: false, log: toAiErrorLog(error, [access.apiKey]), variablesToSet: written }
      }
    },
    async *stream(call, variables, signal) {
      const access = await openAccess(deps, call, guardedFetch)
      if ('outcome' in access) return access.outcome
      const written: AiVariableWrite[] = []
      const failed = (error: unknown): AiOutcome => ({ ok: false, log: toAiErrorLog(error, [access.apiKey]), variablesToSet: written })
      try {
        const sdk = await loadAiSdk()
        const request = await buildTextRequest(sdk, call, access, { variables, written, runner: deps.tools })
        let streamError: unknown
        const result = sdk.ai.streamText({
          ...request,
          abortSignal: signal,
          // Failures are reported through the stream and the outcome, not the console.
          onError: ({ error }) => {
            streamError ??= error
          },
        })
        for await (const part of result.fullStream) {
          if (part.type === 'text-delta') yield { type: 'text', text: part.text }
          else if (part.type === 'error') streamError ??= part.error
        }
        if (streamError !== undefined) return failed(streamError)
        return { ok: true, usage: toUsage(await result.totalUsage), variablesToSet: written }
      } catch (error) {
        return failed(error)
      }
    },
  }
}

type CallAccess = ProviderAccess | { outcome: AiOutcome }

/** The provider's key and address; a missing or unreadable key is an outcome and nothing is sent. */
async function openAccess(deps: AiRunnerDeps, call: AiCall, guardedFetch: typeof fetch): Promise<CallAccess> {
  const opened = await openChosenCredentials(deps.credentials, call.credentialsId, call.provider)
  if (!opened.ok) return { outcome: { ok: false, log: { status: 'error', ...opened.problem }, variablesToSet: [] } }
  const { apiKey } = opened.data
  const baseUrl = opened.data.baseUrl ?? call.baseUrl ?? defaultBaseUrls[call.provider]
  return { apiKey, baseUrl, fetch: withApiVersion(guardedFetch, call.apiVersion, apiKey) }
}

type TaskContext = { variables: ToolVariables; written: AiVariableWrite[]; runner: ToolRunner }

async function runTask(
  sdk: AiSdk,
  call: AiCall,
  access: ProviderAccess,
  context: TaskContext & { audioFetch: typeof fetch; saveFile: SaveAiFile | undefined },
): Promise<AiOutcome> {
  const { task } = call
  switch (task.type) {
    case 'chat':
    case 'respond': {
      const result = await sdk.ai.generateText(await buildTextRequest(sdk, call, access, context))
      return {
        ok: true,
        text: result.text,
        usage: toUsage(result.totalUsage),
        ...(task.type === 'respond' && result.response.id ? { responseId: result.response.id } : {}),
        variablesToSet: context.written,
      }
    }
    case 'object': {
      const model = createLanguageModel(sdk, call.provider, access, call.model)
      const result = await sdk.ai.generateText({
        model,
        prompt: task.prompt,
        output: sdk.ai.Output.object({ schema: sdk.ai.jsonSchema<Record<string, unknown>>(task.schema) }),
      })
      return { ok: true, object: result.output, usage: toUsage(result.totalUsage), variablesToSet: [] }
    }
    case 'speech': {
      if (!context.saveFile) throw new Error('File storage is not available to store the audio')
      const openai = createOpenAiProvider(sdk, access)
      const result = await sdk.ai.generateSpeech({
        model: openai.speech(call.model),
        text: task.input,
        voice: task.voice,
        ...(task.instructions ? { instructions: task.instructions } : {}),
      })
      // Typebot stores every speech as an MP3 file (OpenAI's default format).
      const fileUrl = await context.saveFile({ bytes: result.audio.uint8Array, contentType: 'audio/mpeg', fileName: 'speech.mp3' })
      return { ok: true, fileUrl, variablesToSet: [] }
    }
    case 'transcription': {
      const audio = await context.audioFetch(task.url)
      if (!audio.ok) throw new Error(`Could not download the audio (HTTP ${audio.status})`)
      const openai = createOpenAiProvider(sdk, access)
      const result = await sdk.ai.transcribe({
        model: openai.transcription(call.model),
        audio: new Uint8Array(await audio.arrayBuffer()),
        ...(task.prompt ? { providerOptions: { openai: { prompt: task.prompt } } } : {}),
      })
      return { ok: true, text: result.text, variablesToSet: [] }
    }
  }
}

/** The request of a chat or Ask Model call, shared by the non-streamed and streamed paths. */
async function buildTextRequest(sdk: AiSdk, call: AiCall, access: ProviderAccess, context: TaskContext) {
  const { task } = call
  const tools = 'tools' in task ? buildToolSet(sdk, task.tools, context.variables, context.runner, context.written) : {}
  if (task.type === 'respond') {
    const openai = createOpenAiProvider(sdk, access)
    const message: AiMessage = { role: 'user', content: task.message }
    const builtIn = {
      ...(task.vectorStoreIds.length > 0
        ? {
            file_search: openai.tools.fileSearch({
              vectorStoreIds: task.vectorStoreIds,
              ...(task.fileSearchMaxResults !== undefined ? { maxNumResults: task.fileSearchMaxResults } : {}),
              ...(task.fileSearchScoreThreshold !== undefined ? { ranking: { scoreThreshold: task.fileSearchScoreThreshold } } : {}),
            }),
          }
        : {}),
      ...(task.isWebSearchEnabled ? { web_search: openai.tools.webSearch({}) } : {}),
      ...(task.isCodeInterpreterEnabled ? { code_interpreter: openai.tools.codeInterpreter({}) } : {}),
    }
    return {
      model: openai.responses(call.model),
      messages: await toModelMessages([message], task.isVisionEnabled, access.fetch),
      ...(task.temperature !== undefined ? { temperature: task.temperature } : {}),
      tools: { ...tools, ...builtIn },
      stopWhen: sdk.ai.stepCountIs(maxSteps),
      providerOptions: {
        openai: {
          store: true,
          ...(task.instructions ? { instructions: task.instructions } : {}),
          ...(task.previousResponseId ? { previousResponseId: task.previousResponseId } : {}),
        },
      },
    }
  }
  if (task.type !== 'chat') throw new Error(`A ${task.type} call does not produce text`)
  return {
    model: createLanguageModel(sdk, call.provider, access, call.model),
    messages: await toModelMessages(task.messages, task.isVisionEnabled, access.fetch),
    // Typebot's blocks put system messages anywhere in the conversation.
    allowSystemInMessages: true,
    ...(task.temperature !== undefined ? { temperature: task.temperature } : {}),
    ...(task.maxTokens !== undefined ? { maxOutputTokens: task.maxTokens } : {}),
    tools,
    stopWhen: sdk.ai.stepCountIs(maxSteps),
  }
}

function toUsage(usage: { totalTokens?: number; inputTokens?: number; outputTokens?: number } | undefined): AiUsage {
  return { totalTokens: usage?.totalTokens, inputTokens: usage?.inputTokens, outputTokens: usage?.outputTokens }
}
