import { createChatApiClient } from './chat-api-client.js'
import { createChatView } from './chat-view.js'
import { createConversation } from './conversation.js'
import { resumeAfterPaymentRedirect } from './payment-redirect.js'

/**
 * The chat page's script. The server renders `<main id="botflow-chat" data-public-id>`; this
 * starts a session through the public Chat API (each page load is a new session) and plays it.
 */
function bootChatPage() {
  const root = document.getElementById('botflow-chat')
  const publicId = root?.dataset.publicId
  if (!root || !publicId) return
  const apiBase = root.dataset.apiBase ?? ''
  // Typebot's pages pass the URL's query parameters as prefilled variables, by name.
  const prefilledVariables = Object.fromEntries(new URLSearchParams(location.search))
  const api = createChatApiClient(apiBase, { iframeReferrerOrigin: findEmbeddingOrigin() })

  async function start() {
    const view = createChatView(root as HTMLElement)
    view.setTyping(true)
    const resumed = await resumeAfterPaymentRedirect(api)
    if (resumed) {
      view.setTyping(false)
      await createConversation(resumed, { view, api, baseUrl: location.href, restart: () => void start() }).play()
      return
    }
    const result = await api.startChat(publicId as string, Object.keys(prefilledVariables).length > 0 ? { prefilledVariables } : {})
    view.setTyping(false)
    if (!result.ok) {
      const isRetryable = result.error.status === 0 || result.error.status >= 500
      view.appendError(
        result.error.status === 0 ? 'Network Error: please check your internet connection and try again.' : result.error.message,
        isRetryable ? { label: 'Try again', onClick: () => void start() } : undefined,
      )
      return
    }
    hideQueryParams(result.body.typebot.settings)
    await createConversation(result.body, { view, api, baseUrl: location.href, restart: () => void start() }).play()
  }

  void start()
  if (window.parent !== window) forwardEscapeToEmbed()
}

/** In the bubble's frame, Escape closes the bubble: the embedding page cannot see keys pressed in here. */
function forwardEscapeToEmbed() {
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') window.parent.postMessage({ botflow: 'close' }, '*')
  })
}

/** When embedded (the bubble snippet), the site around us: a typebot's allowedOrigins may name it. */
function findEmbeddingOrigin(): string | undefined {
  if (window.parent === window || !document.referrer) return undefined
  try {
    return new URL(document.referrer).origin
  } catch {
    return undefined
  }
}

/** `settings.general.isHideQueryParamsEnabled` (default on): prefilled values leave the address bar. */
function hideQueryParams(settings: Record<string, unknown>) {
  const general = settings.general as { isHideQueryParamsEnabled?: unknown } | undefined
  if (general?.isHideQueryParamsEnabled === false || location.search === '') return
  history.replaceState(history.state, '', location.pathname + location.hash)
}

bootChatPage()
