/**
 * Performs the effects integration blocks yield: outgoing HTTP, server-side scripts, email,
 * payments, the lookup of a block's credentials and AI calls. Storage reads of sessions
 * (`loadTypebot`, `loadHistory`) are not effects of this module: the session shell answers them
 * itself and hands everything else here.
 */

import { isCredentialType } from '../credentials/credential-types.js'
import { type CredentialsAccess, findCredentialsFor } from '../credentials/resolve-credentials.js'
import type { EffectRequest, EffectResult } from '../engine/types.js'
import { AppError } from '../errors.js'
import type { Metrics } from '../metrics/metrics.js'
import { type AiRunner, createAiRunner, type SaveAiFile } from './ai/run-ai-call.js'
import type { EmailSender } from './email/send-email.js'
import type { HttpRequestOptions } from './http-request.js'
import { performHttpRequest } from './http-request.js'
import type { StripePayments } from './payments/stripe-payments.js'
import type { Sandbox } from './sandbox.js'

export type EffectPerformerOptions = {
  sandbox: Sandbox
  /** Where effects find and open workspace credentials (AI keys, SMTP, Stripe). */
  credentials: CredentialsAccess
  http: HttpRequestOptions
  /** Sends Email blocks' e-mails; without one, every e-mail is answered "not configured". */
  email?: EmailSender
  /** Creates and checks Stripe PaymentIntents; without it, payment inputs log that Stripe is not configured. */
  payments?: StripePayments
  /** Counts AI calls and e-mails. */
  metrics?: Pick<Metrics, 'aiCall' | 'email'>
}

const stripeNotConfigured = 'Stripe is not configured: add stripe credentials to the workspace'

/**
 * `deadline`: for sandbox calls, the time at which the turn's budget runs out. `saveFile`: where
 * an AI call stores a file it makes (speech).
 */
export type EffectPerformer = {
  perform(request: EffectRequest, options?: { deadline?: number; saveFile?: SaveAiFile }): Promise<EffectResult>
  /** AI calls, also streamed (`streamMessage`). */
  ai: AiRunner
}

export function createEffectPerformer(options: EffectPerformerOptions): EffectPerformer {
  const { sandbox, http, credentials, email, payments, metrics } = options
  const scriptFetch = (spec: Parameters<typeof performHttpRequest>[0]) => performHttpRequest(spec, http)
  const runner = createAiRunner({
    credentials,
    http: {
      allowPrivateTargets: http.allowPrivateTargets,
      allowedOrigins: http.allowedOrigins,
      resolveHost: http.resolveHost,
      idleTimeoutMs: http.defaultTimeoutMs,
    },
    tools: { sandbox, fetch: scriptFetch },
  })
  const ai = metrics ? countAiCalls(runner, metrics) : runner

  async function perform(
    request: EffectRequest,
    { deadline, saveFile }: { deadline?: number; saveFile?: SaveAiFile } = {},
  ): Promise<EffectResult> {
    switch (request.type) {
      case 'httpRequest':
        return { type: 'httpRequest', response: await performHttpRequest(request.request, http) }
      case 'runServerScript':
        return sandbox.runServerScript(request.content, request.variables, { deadline, fetch: scriptFetch })
      case 'sendEmail': {
        const sent = email ? await email(request) : { type: 'sendEmail' as const, ok: false, error: 'SMTP is not configured' }
        metrics?.email(sent.ok ? 'sent' : 'failed')
        return sent
      }
      case 'createPaymentIntent':
        return payments ? payments.create(request) : { type: 'createPaymentIntent', ok: false, error: stripeNotConfigured }
      case 'retrievePaymentIntent':
        return payments ? payments.retrieve(request) : { type: 'retrievePaymentIntent', ok: false, error: stripeNotConfigured }
      case 'runCode':
        return { type: 'runCode', result: await sandbox.runCode(request.code, request.globals, { deadline }) }
      case 'checkpoint':
        return { type: 'checkpoint' }
      case 'findCredentials': {
        const type = request.credentialsType
        if (!isCredentialType(type)) return { type: 'findCredentials', reason: `Unknown credentials type ${type}` }
        const found = await findCredentialsFor(credentials.store, {
          workspaceId: request.workspaceId,
          type,
          credentialsId: request.credentialsId,
        })
        return found.status === 'found'
          ? { type: 'findCredentials', credentials: { id: found.id, name: found.name } }
          : { type: 'findCredentials', reason: found.reason }
      }
      case 'ai':
        return { type: 'ai', outcome: await ai.run(request.call, request.variables, saveFile) }
      case 'loadTypebot':
      case 'loadHistory':
      case 'findWebhookBlockUrl':
        throw new AppError('INTERNAL', `The ${request.type} effect is a storage read: the session shell performs it`)
    }
  }

  return { perform, ai }
}

/** The same runner, counting each call by provider and outcome once it has ended. */
function countAiCalls(runner: AiRunner, metrics: Pick<Metrics, 'aiCall'>): AiRunner {
  return {
    async run(call, variables, saveFile) {
      const outcome = await runner.run(call, variables, saveFile)
      metrics.aiCall(call.provider, outcome.ok ? 'ok' : 'error')
      return outcome
    },
    async *stream(call, variables, signal) {
      const outcome = yield* runner.stream(call, variables, signal)
      metrics.aiCall(call.provider, signal.aborted ? 'aborted' : outcome.ok ? 'ok' : 'error')
      return outcome
    },
  }
}
