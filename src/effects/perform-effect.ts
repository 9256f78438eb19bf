/**
 * Performs the effects integration blocks yield: outgoing HTTP, server-side scripts and email.
 * Storage reads (`loadTypebot`, `loadHistory`) are not effects of this module: the session shell
 * answers them itself and hands everything else here.
 */

import type { SecretCipher } from '../credentials/secret-cipher.js'
import type { EffectRequest, EffectResult } from '../engine/types.js'
import { AppError } from '../errors.js'
import type { CredentialStore } from '../storage/credential-store.js'
import type { EmailSender } from './email/send-email.js'
import type { HttpRequestOptions } from './http-request.js'
import { performHttpRequest } from './http-request.js'
import type { StripePayments } from './payments/stripe-payments.js'
import type { Sandbox } from './sandbox.js'

export type EffectPerformerOptions = {
  sandbox: Sandbox
  /** Where effects find and open workspace credentials (AI keys; SMTP and Stripe next). */
  credentials: { store: CredentialStore; cipher: SecretCipher }
  http: HttpRequestOptions
  /** Sends Email blocks' e-mails; without one, every e-mail is answered "not configured". */
  email?: EmailSender
  /** Creates and checks Stripe PaymentIntents; without it, payment inputs log that Stripe is not configured. */
  payments?: StripePayments
}

const stripeNotConfigured = 'Stripe is not configured: add stripe credentials to the workspace'

/** `deadline`: for sandbox calls, the time at which the turn's budget runs out. */
export type EffectPerformer = { perform(request: EffectRequest, options?: { deadline?: number }): Promise<EffectResult> }

export function createEffectPerformer(options: EffectPerformerOptions): EffectPerformer {
  return { perform: (request, callOptions = {}) => perform(request, options, callOptions.deadline) }
}

async function perform(
  request: EffectRequest,
  { sandbox, http, email, payments }: EffectPerformerOptions,
  deadline?: number,
): Promise<EffectResult> {
  switch (request.type) {
    case 'httpRequest':
      return { type: 'httpRequest', response: await performHttpRequest(request.request, http) }
    case 'runServerScript':
      return sandbox.runServerScript(request.content, request.variables, { deadline, fetch: (spec) => performHttpRequest(spec, http) })
    case 'sendEmail':
      return email ? email(request) : { type: 'sendEmail', ok: false, error: 'SMTP is not configured' }
    case 'createPaymentIntent':
      return payments ? payments.create(request) : { type: 'createPaymentIntent', ok: false, error: stripeNotConfigured }
    case 'retrievePaymentIntent':
      return payments ? payments.retrieve(request) : { type: 'retrievePaymentIntent', ok: false, error: stripeNotConfigured }
    case 'runCode':
      return { type: 'runCode', result: await sandbox.runCode(request.code, request.globals, { deadline }) }
    case 'checkpoint':
      return { type: 'checkpoint' }
    case 'loadTypebot':
    case 'loadHistory':
      throw new AppError('INTERNAL', `The ${request.type} effect is a storage read: the session shell performs it`)
  }
}
