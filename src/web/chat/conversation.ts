import type { ChatApiClient } from './chat-api-client.js'
import type { ChatView } from './chat-view.js'
import { element } from './chat-view.js'
import { type ActionOutcome, runClientSideAction, sleep } from './client-actions.js'
import { type InputReply, renderInput } from './inputs/index.js'
import { rememberPaymentInProgress } from './payment-redirect.js'
import { renderBubble } from './render-bubble.js'
import { readDataStream, type StreamedAnswer } from './stream-reply.js'
import { createStreamedBubble } from './streamed-bubble.js'
import { toThemeStyle } from './theme-style.js'
import { computeTypingDelayMs, type TypingEmulation } from './typing-delay.js'
import { uploadFiles } from './upload-files.js'
import type { ApiError, ChatInput, ChatMessage, ChatTurn, ClientSideAction, OutgoingMessage, StartChatResponse } from './wire-types.js'

export type ConversationOptions = {
  view: ChatView
  api: ChatApiClient
  baseUrl: string
  /** Restarts the page's chat (a new session), offered when the session is gone. */
  restart(): void
}

/**
 * Plays the turns of one session: bubbles one by one behind a typing indicator, client-side
 * actions at their place, then the input; the user's reply goes to continueChat and the next
 * turn plays. Every failure becomes an error line in the log, never a broken page.
 */
export function createConversation(start: StartChatResponse, options: ConversationOptions) {
  const { view, api, baseUrl } = options
  const { sessionId } = start
  const theme = start.typebot.theme ?? {}
  const settings = start.typebot.settings ?? {}
  const general = asRecord(settings.general)
  const systemMessages = asRecord(general.systemMessages)
  const typingSettings = {
    typingEmulation: asRecord(settings.typingEmulation) as TypingEmulation,
    isGeneralTypingEnabled: general.isTypingEmulationEnabled !== false,
  }
  const isPrefillEnabled = general.isInputPrefillEnabled === true
  let style = toThemeStyle(theme, undefined, isColor, baseUrl)
  let isFirstBubbleOfChat = true
  let lastGuestBubble: HTMLElement | undefined
  /** Polls in a row for a webhook's call: every 2 s for the first minute, then every 10 s. */
  let webhookPolls = 0

  view.applyTheme(style)

  async function playTurn(turn: ChatTurn): Promise<void> {
    if (turn.dynamicTheme) {
      style = toThemeStyle(theme, turn.dynamicTheme, isColor, baseUrl)
      view.applyTheme(style)
    }
    if (turn.lastMessageNewFormat !== undefined && lastGuestBubble) lastGuestBubble.textContent = turn.lastMessageNewFormat
    view.setProgress(turn.progress, style.progressBar.isEnabled)

    const actions = turn.clientSideActions ?? []
    const messageIds = new Set(turn.messages.map((message) => message.id))
    // An action runs right after the bubble it follows (`lastBubbleBlockId`), else before them all.
    let reply: ActionOutcome | undefined = await runActions(actions.filter((action) => !action.lastBubbleBlockId))
    let isFirstOfTurn = true
    for (const message of turn.messages) {
      const waited = await showMessage(message, isFirstOfTurn)
      isFirstOfTurn = false
      reply = waited ?? reply
      reply = (await runActions(actions.filter((action) => action.lastBubbleBlockId === message.id))) ?? reply
    }
    const afterUnknownBubble = actions.filter((action) => action.lastBubbleBlockId && !messageIds.has(action.lastBubbleBlockId))
    reply = (await runActions(afterUnknownBubble)) ?? reply
    view.setTyping(false)

    webhookPolls = actions.some((action) => action.type === 'listenForWebhook') ? webhookPolls + 1 : 0
    if (reply?.kind === 'reply') return send(reply.message, undefined, undefined, reply.isQuiet)
    if (turn.input) showInput(turn.input)
    else view.setInput(undefined)
  }

  /** Runs actions in order; returns the reply of a blocking one (it is the walk's last). */
  async function runActions(actions: ClientSideAction[]): Promise<ActionOutcome | undefined> {
    let outcome: ActionOutcome | undefined
    for (const action of actions) {
      const result = await runClientSideAction(action, {
        baseUrl,
        reportError: (description, details) => void api.saveClientLogs(sessionId, [{ status: 'error', description, details }]),
        offerNewTab: (url) => offerNewTab(url),
        nextWebhookPollDelayMs: () => (webhookPolls < 30 ? 2000 : 10_000),
        streamAnswer,
      })
      if (result.kind === 'reply') outcome = result
    }
    return outcome
  }

  async function showMessage(message: ChatMessage, isFirstOfTurn: boolean): Promise<ActionOutcome | undefined> {
    const bubble = renderBubble(message, baseUrl)
    if (bubble.isEmpty) return undefined
    const delay = computeTypingDelayMs(bubble, typingSettings, { isFirstOfChat: isFirstBubbleOfChat, isFirstOfTurn })
    isFirstBubbleOfChat = false
    if (delay > 0) {
      view.setTyping(true)
      await sleep(delay)
    }
    view.setTyping(false)
    const shown = view.appendHostBubble(bubble.node, { isMedia: bubble.isMedia })
    shown.dataset.blockId = message.id
    shown.querySelectorAll('img').forEach((image) => image.addEventListener('load', () => view.scrollToBottom(), { once: true }))
    const waitForEvent = message.type === 'embed' ? message.content.waitForEvent : undefined
    if (waitForEvent?.isEnabled && waitForEvent.name && bubble.frame) return waitForEmbedEvent(bubble.frame, waitForEvent.name)
    return undefined
  }

  /** A waiting embed bubble: the walk resumes with the data of the frame's message named `name`. */
  function waitForEmbedEvent(frame: HTMLIFrameElement, name: string): Promise<ActionOutcome> {
    return new Promise((resolve) => {
      const onMessage = (event: MessageEvent) => {
        if (event.source !== frame.contentWindow) return
        const data: unknown = event.data
        if (!data || typeof data !== 'object' || (data as { name?: unknown }).name !== name) return
        window.removeEventListener('message', onMessage)
        const payload = (data as { data?: unknown }).data
        resolve({ kind: 'reply', message: { type: 'text', text: typeof payload === 'string' ? payload : JSON.stringify(payload ?? null) } })
      }
      window.addEventListener('message', onMessage)
    })
  }

  /** The answer grows in one bubble as it arrives; the typing indicator shows until the first words. */
  async function streamAnswer(): Promise<StreamedAnswer> {
    view.setTyping(true)
    const result = await api.streamMessage(sessionId)
    if (!result.ok) {
      view.setTyping(false)
      showApiError(result.error)
      return { text: '', isFailed: true }
    }
    const streamed = createStreamedBubble(baseUrl, () => view.scrollToBottom())
    let bubble: HTMLElement | undefined
    const answer = await readDataStream(result.body, (text) => {
      streamed.update(text)
      if (bubble) return
      view.setTyping(false)
      bubble = view.appendHostBubble(streamed.node)
    })
    streamed.finish()
    view.setTyping(false)
    isFirstBubbleOfChat = false
    return answer
  }

  function showInput(input: ChatInput) {
    let isSent = false
    const form = renderInput(input, {
      isPrefillEnabled,
      baseUrl,
      uploadFiles: (blockId, files, onProgress) => uploadFiles(api, { sessionId, blockId }, files, onProgress),
      rememberPaymentInProgress: () => rememberPaymentInProgress({ sessionId, typebot: start.typebot }),
      submit(reply: InputReply) {
        if (isSent) return
        isSent = true
        void send(reply.message, reply.guestText, input, false, reply.guestDetail)
      },
    })
    view.setInput(form)
  }

  /** Sends a reply; on failure the same input comes back so the user can try again. */
  async function send(
    message: OutgoingMessage | undefined,
    guestText: string | undefined,
    input?: ChatInput,
    isQuiet = false,
    guestDetail?: HTMLElement,
  ): Promise<void> {
    view.setInput(undefined)
    const isShown = guestText !== undefined || guestDetail !== undefined
    lastGuestBubble = isShown ? view.appendGuestBubble(guestText ?? '', guestDetail) : undefined
    if (!isQuiet) view.setTyping(true)
    const result = await api.continueChat(sessionId, message)
    view.setTyping(false)
    if (result.ok) return playTurn(result.body)
    showApiError(result.error)
    // The session is gone: only a new one helps (showApiError offers it).
    if (result.error.status === 404) return
    if (input) showInput(input)
    else view.setInput(retryButton(() => void send(message, undefined)))
  }

  function showApiError(error: ApiError) {
    if (error.status === 0) {
      const title = stringOr(systemMessages.networkErrorTitle, 'Network Error')
      view.appendError(`${title}: ${stringOr(systemMessages.networkErrorMessage, 'Please check your internet connection and try again.')}`)
      return
    }
    if (error.status === 404) {
      view.appendError(`${error.message} This conversation is over.`, { label: 'Start again', onClick: options.restart })
      return
    }
    view.appendError(error.message)
  }

  function offerNewTab(url: string) {
    const title = stringOr(systemMessages.popupBlockedTitle, 'Popup blocked')
    const description = stringOr(
      systemMessages.popupBlockedDescription,
      'The bot wants to open a new tab but it was blocked by your browser. It needs a manual approval.',
    )
    view.appendError(`${title}: ${description}`, {
      label: stringOr(systemMessages.popupBlockedButtonLabel, 'Continue in new tab'),
      onClick: () => window.open(url, '_blank', 'noopener,noreferrer'),
    })
  }

  return { play: () => playTurn(start) }
}

function retryButton(onClick: () => void): HTMLElement {
  const button = element('button', 'bf-button', 'Try again')
  button.type = 'button'
  button.addEventListener('click', onClick)
  return button
}

function isColor(value: string): boolean {
  return typeof CSS !== 'undefined' && CSS.supports('color', value)
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' && value.trim() !== '' ? value : fallback
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
}
