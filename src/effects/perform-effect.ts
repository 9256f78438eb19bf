/**
 * Performs the effects integration blocks yield: outgoing HTTP, server-side scripts and email.
 * Storage reads (`loadTypebot`, `loadHistory`) are not effects of this module: the session shell
 * answers them itself and hands everything else here.
 */

import type { SecretCipher } from '../credentials/secret-cipher.js'
import type { EffectRequest, EffectResult } from '../engine/types.js'
import { AppError } from '../errors.js'
import type { CredentialStore } from '../storage/credential-store.js'
import type { HttpRequestOptions } from './http-request.js'
import { performHttpRequest } from './http-request.js'
import type { Sandbox } from './sandbox.js'

export type EffectPerformerOptions = {
  sandbox: Sandbox
  /** Where effects find and open workspace credentials (AI keys; SMTP and Stripe next). */
  credentials: { store: CredentialStore; cipher: SecretCipher }
  http: HttpRequestOptions
  /** No SMTP support yet: every email is answered "not configured". */
  email?: undefined
}

export type EffectPerformer = { perform(request: EffectRequest): Promise<EffectResult> }

export function createEffectPerformer(options: EffectPerformerOptions): EffectPerformer {
  const { sandbox, http } = options
  return { perform: (request) => perform(request, sandbox, http) }
}

async function perform(request: EffectRequest, sandbox: Sandbox, http: HttpRequestOptions): Promise<EffectResult> {
  switch (request.type) {
    case 'httpRequest':
      return { type: 'httpRequest', response: await performHttpRequest(request.request, http) }
    case 'runServerScript':
      return sandbox.runServerScript(request.content, request.variables, { fetch: (spec) => performHttpRequest(spec, http) })
    case 'sendEmail':
      return { type: 'sendEmail', ok: false, error: 'SMTP is not configured' }
    case 'loadTypebot':
    case 'loadHistory':
      throw new AppError('INTERNAL', `The ${request.type} effect is a storage read: the session shell performs it`)
  }
}
