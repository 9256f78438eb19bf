import type { ChatApiClient } from './chat-api-client.js'
import type { StartChatResponse } from './wire-types.js'

/**
 * Some payment methods leave the page for the bank and come back to it (Stripe's `return_url`,
 * with `redirect_status` in the query). The page then resumes the same session with the outcome
 * instead of starting a new one; the server checks the payment with Stripe either way.
 */
const storageKey = 'botflowPaymentInProgress'

type PaymentInProgress = { sessionId: string; typebot: StartChatResponse['typebot'] }

export function rememberPaymentInProgress(state: PaymentInProgress) {
  try {
    sessionStorage.setItem(storageKey, JSON.stringify(state))
  } catch {
    // Storage may be unavailable (privacy modes): the payment still works without a redirect.
  }
}

export function forgetPaymentInProgress() {
  try {
    sessionStorage.removeItem(storageKey)
  } catch {
    // Nothing was stored.
  }
}

/** After Stripe's redirect back: the turn that answers the payment, as a start response to play. */
export async function resumeAfterPaymentRedirect(api: ChatApiClient): Promise<StartChatResponse | undefined> {
  const status = new URLSearchParams(location.search).get('redirect_status')
  let saved: unknown
  try {
    const text = sessionStorage.getItem(storageKey)
    sessionStorage.removeItem(storageKey)
    saved = text ? JSON.parse(text) : undefined
  } catch {
    saved = undefined
  }
  if (!status || !isPaymentInProgress(saved)) return undefined
  const result = await api.continueChat(saved.sessionId, { type: 'text', text: status === 'failed' ? 'fail' : 'Success' })
  if (!result.ok) return undefined
  return { ...result.body, sessionId: saved.sessionId, typebot: saved.typebot }
}

function isPaymentInProgress(value: unknown): value is PaymentInProgress {
  if (!value || typeof value !== 'object' || !('sessionId' in value) || !('typebot' in value)) return false
  return typeof value.sessionId === 'string' && typeof value.typebot === 'object' && value.typebot !== null
}
