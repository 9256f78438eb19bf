/**
 * The imperative shell around the pure engine: load the session and the versions it points at,
 * run the engine, perform the effects it asks for, save everything in one transaction.
 * Both the HTTP routes and the CLI go through this service.
 */
import { findTypebotAccess } from '../access.js'
import type { Config } from '../config.js'
import type { SecretCipher } from '../credentials/secret-cipher.js'
import type { SaveAiFile } from '../effects/ai/run-ai-call.js'
import { createEmailSender } from '../effects/email/send-email.js'
import { openWorkspaceCredentials } from '../effects/open-workspace-credentials.js'
import { createStripePayments } from '../effects/payments/stripe-payments.js'
import { createEffectPerformer } from '../effects/perform-effect.js'
import { createSandbox, type Sandbox, type SandboxEvent } from '../effects/sandbox.js'
import type { EffectRequest, EngineEnv } from '../engine/types.js'
import { newId } from '../ids.js'
import { type Metrics, noMetrics } from '../metrics/metrics.js'
import type { ContinueChatBody, StartChatBody, StartPreviewChatBody } from '../schemas/chat-api.js'
import type { GenerateUploadUrlBody } from '../schemas/uploads-api.js'
import type { Store, UserRecord } from '../storage/store.js'
import { loadAttachments } from '../uploads/email-attachments.js'
import { fileUrlOf } from '../uploads/file-urls.js'
import { storeGeneratedFile } from '../uploads/store-generated-file.js'
import { type ChatContext, loadDraftVersion, loadPublishedVersion } from './chat-context.js'
import { continueChat } from './continue-chat.js'
import type { PerformEffect } from './drive-effects.js'
import { executeWebhook } from './execute-webhook.js'
import { generateUploadUrl } from './generate-upload-url.js'
import { loadConversationHistory } from './load-history.js'
import { transcriptOfResult } from './result-transcript.js'
import { closeSession, pauseSession, type ResumeOptions, resumeSession, setVariablesOfSession } from './session-control.js'
import { listSessionsOfTypebot, type SessionListQuery } from './session-inbox.js'
import { SessionLock } from './session-lock.js'
import { describeSession, saveClientLogs } from './session-view.js'
import { startChat, startPreviewChat } from './start-chat.js'
import { streamMessage } from './stream-message.js'
import { updateAllSessionsOfTypebot, updateSessionTypebot } from './update-session.js'
import { VersionCache } from './version-cache.js'

export type ChatServiceDeps = {
  store: Store
  /** Opens workspace credentials for the effects that need them (credentials/resolve-credentials.ts). */
  cipher: SecretCipher
  effects: Config['effects']
  /** Absent: no time budget and the engine's default output budget. */
  turnLimits?: Config['turnLimits']
  /** Hears every sandbox call (its kind, outcome and duration), e.g. for metrics. */
  onSandboxEvent?: (event: SandboxEvent) => void
  sessionTtlMs?: number
  /** The clock; tests move it forward to expire sessions. */
  now?: () => number
  uploads?: ChatContext['uploads']
  /** The server's own SMTP sender (`SMTP_*`). */
  smtp?: Config['smtp']
  /** Tests point the Stripe library at a fake Stripe (`STRIPE_API_BASE`). */
  stripeApiBase?: string
  metrics?: Metrics
  /** How long a request waits for a session another request holds (default: `sessionBusyWaitMs`). */
  sessionBusyWaitMs?: number
  /** `PUBLIC_URL`: the base of the URLs of files botflow stores itself (speech). */
  publicUrl?: string
}

export type ChatService = ReturnType<typeof toChatService>

export async function createChatService(deps: ChatServiceDeps): Promise<ChatService> {
  const metrics = deps.metrics ?? noMetrics
  const sandbox = createSandbox({
    workers: deps.effects.sandboxWorkers,
    timeoutMs: deps.effects.sandboxTimeoutMs,
    memoryLimitBytes: deps.effects.sandboxMemoryBytes,
    onEvent: (event) => {
      metrics.sandboxCall(event.outcome)
      deps.onSandboxEvent?.(event)
    },
  })
  const ssrf = { allowPrivateTargets: deps.effects.allowPrivateHttpTargets }
  const credentials = { store: deps.store.credentials, cipher: deps.cipher }
  const uploads = deps.uploads
  const email =
    uploads &&
    createEmailSender({
      environment: deps.smtp,
      loadAttachments: (urls, origin) => loadAttachments(urls, origin, { store: deps.store, files: uploads.storage }),
      findCredentials: (workspaceId, credentialsId) => openWorkspaceCredentials(credentials, 'smtp', workspaceId, credentialsId),
      ssrf,
      timeoutMs: deps.effects.httpTimeoutMs,
    })
  const payments = createStripePayments({
    findCredentials: (workspaceId, credentialsId) => openWorkspaceCredentials(credentials, 'stripe', workspaceId, credentialsId),
    ...(deps.stripeApiBase ? { apiBase: deps.stripeApiBase } : {}),
    timeoutMs: deps.effects.httpTimeoutMs,
  })
  const performer = createEffectPerformer({
    sandbox,
    credentials,
    http: { ...ssrf, defaultTimeoutMs: deps.effects.httpTimeoutMs, observe: metrics.outboundHttp },
    payments,
    ...(email ? { email } : {}),
    metrics,
  })
  const env: EngineEnv = { now: deps.now ?? Date.now, random: Math.random, newId }
  /** The shell's own reads, then the performer; `baseUrl` makes the URLs of files AI calls store. */
  const performAt =
    (baseUrl: string | undefined): PerformEffect =>
    async (request, options) => {
      if (request.type === 'loadTypebot') return { type: 'loadTypebot', loaded: await loadLinkedTypebot(context, request) }
      if (request.type === 'findWebhookBlockUrl') {
        return { type: 'findWebhookBlockUrl', url: await deps.store.webhooks.findBlockSubscriptionUrl(request.typebotId, request.blockId) }
      }
      if (request.type === 'loadHistory') return { type: 'loadHistory', ...(await loadConversationHistory(deps.store, request.resultId)) }
      if (request.type === 'ai' && uploads) {
        const saveFile: SaveAiFile = async (file) => {
          const uploadId = await storeGeneratedFile(
            { store: deps.store, storage: uploads.storage, now: env.now, newId },
            request.origin,
            file,
          )
          return fileUrlOf(baseUrl ?? '', uploadId, file.fileName)
        }
        return performer.perform(request, { ...options, saveFile })
      }
      return performer.perform(request, options)
    }
  const context: ChatContext = {
    store: deps.store,
    versions: new VersionCache(deps.store),
    lock: new SessionLock(deps.store, { busyWaitMs: deps.sessionBusyWaitMs }),
    env,
    newId,
    sessionTtlMs: deps.sessionTtlMs,
    uploads: deps.uploads,
    turnLimits: deps.turnLimits,
    ai: performer.ai,
    metrics,
    perform: performAt(deps.publicUrl),
  }
  // PUBLIC_URL names the server when set; else the address the request reached it at.
  const contextAt = (baseUrl: string | undefined): ChatContext =>
    deps.publicUrl || !baseUrl ? context : { ...context, perform: performAt(baseUrl) }
  return toChatService(context, contextAt, sandbox)
}

/** `baseUrl` of a request: the server's address as the client reached it (file URLs of the turn). */
function toChatService(context: ChatContext, contextAt: (baseUrl: string | undefined) => ChatContext, sandbox: Sandbox) {
  return {
    startChat: (publicId: string, body: StartChatBody, origin?: string, baseUrl?: string) =>
      startChat(contextAt(baseUrl), publicId, body, origin),
    startPreviewChat: (user: UserRecord, typebotId: string, body: StartPreviewChatBody, baseUrl?: string) =>
      startPreviewChat(contextAt(baseUrl), user, typebotId, body),
    continueChat: (sessionId: string, body: ContinueChatBody, origin?: string, baseUrl?: string) =>
      continueChat(contextAt(baseUrl), sessionId, body, origin),
    updateTypebotInSession: (user: UserRecord, sessionId: string) => updateSessionTypebot(context, user, sessionId),
    /** With a user, checks their write access first; without, the caller already did (publish). */
    updateAllSessionsOfTypebot: (typebotId: string, user?: UserRecord) => updateAllSessionsOfTypebot(context, typebotId, user),
    describeSession: (user: UserRecord, sessionId: string) => describeSession(context, user, sessionId),
    generateUploadUrl: (body: GenerateUploadUrlBody, request: Parameters<typeof generateUploadUrl>[2]) =>
      generateUploadUrl(context, body, request),
    executeWebhook: (user: UserRecord, input: Parameters<typeof executeWebhook>[2]) => executeWebhook(context, user, input),
    saveClientLogs: (sessionId: string, logs: Parameters<typeof saveClientLogs>[2], origin?: string) =>
      saveClientLogs(context, sessionId, logs, origin),
    streamMessage: (sessionId: string, origin: string | undefined, signal: AbortSignal) =>
      streamMessage(context, sessionId, origin, signal),
    close: () => sandbox.close(),
    pauseSession: (user: UserRecord, sessionId: string, reason?: string) => pauseSession(context, user, sessionId, reason),
    resumeSession: (user: UserRecord, sessionId: string, options: ResumeOptions) => resumeSession(context, user, sessionId, options),
    closeSession: (user: UserRecord, sessionId: string) => closeSession(context, user, sessionId),
    setSessionVariables: (user: UserRecord, sessionId: string, assignments: Parameters<typeof setVariablesOfSession>[3]) =>
      setVariablesOfSession(context, user, sessionId, assignments),
    listSessions: (user: UserRecord, typebotId: string, query: SessionListQuery) => listSessionsOfTypebot(context, user, typebotId, query),
    transcriptOfResult: (user: UserRecord, typebotId: string, resultId: string) => transcriptOfResult(context, user, typebotId, resultId),
  }
}

/**
 * Typebot links reach typebots of the session's own workspace only: the published version, or in
 * preview the draft, when the user who started the preview may read it. A preview without a
 * user (started before previews recorded one) links to no other typebot.
 */
async function loadLinkedTypebot(context: ChatContext, request: Extract<EffectRequest, { type: 'loadTypebot' }>) {
  if (request.isPreview) {
    const typebot = await context.store.findTypebot(request.typebotId)
    if (!typebot || typebot.workspaceId !== request.workspaceId || typebot.isArchived || !request.userId) return undefined
    if ((await findTypebotAccess(context.store, { id: request.userId }, typebot)) === 'none') return undefined
    return loadDraftVersion(context, typebot)
  }
  const typebot = await context.store.findTypebotHeader(request.typebotId)
  if (!typebot || typebot.workspaceId !== request.workspaceId || typebot.isArchived) return undefined
  return loadPublishedVersion(context, typebot)
}
