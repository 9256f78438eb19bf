import { toSafeMediaUrl } from './safe-url.js'
import type { Avatar, ThemeStyle } from './theme-style.js'

export type ChatView = ReturnType<typeof createChatView>

/**
 * The page's DOM: the message log (`role="log"`), the typing indicator, the input area, the
 * progress bar. It knows nothing of the Chat API; the conversation drives it.
 */
export function createChatView(root: HTMLElement) {
  root.replaceChildren()
  root.classList.add('bf-chat')

  const progress = element('div', 'bf-progress')
  progress.hidden = true
  progress.setAttribute('role', 'progressbar')
  progress.setAttribute('aria-label', 'Progress')
  progress.setAttribute('aria-valuemin', '0')
  progress.setAttribute('aria-valuemax', '100')
  const progressFill = element('div', 'bf-progress-fill')
  progress.append(progressFill)

  const scroller = element('div', 'bf-scroller')
  const column = element('div', 'bf-column')
  const log = element('div', 'bf-log')
  log.setAttribute('role', 'log')
  log.setAttribute('aria-live', 'polite')
  log.setAttribute('aria-label', 'Conversation')
  const typing = element('div', 'bf-row bf-row-host bf-typing')
  typing.hidden = true
  typing.setAttribute('aria-hidden', 'true')
  const typingBubble = element('div', 'bf-bubble bf-bubble-host bf-typing-bubble')
  for (let dot = 0; dot < 3; dot += 1) typingBubble.append(element('span', 'bf-typing-dot'))
  const inputArea = element('div', 'bf-input-area')
  column.append(log, typing, inputArea)
  scroller.append(column)
  root.append(progress, scroller)

  let hostAvatar: Avatar = { isEnabled: true }
  let guestAvatar: Avatar = { isEnabled: false }
  let lastRow: 'host' | 'guest' | undefined

  function scrollToBottom() {
    scroller.scrollTo({ top: scroller.scrollHeight, behavior: 'smooth' })
  }

  function hostRow(): HTMLElement {
    const row = element('div', 'bf-row bf-row-host')
    if (hostAvatar.isEnabled) row.append(lastRow === 'host' ? element('span', 'bf-avatar-spacer') : renderAvatar(hostAvatar, 'host'))
    lastRow = 'host'
    return row
  }

  return {
    applyTheme(style: ThemeStyle) {
      for (const [name, value] of Object.entries(style.variables)) document.documentElement.style.setProperty(name, value)
      hostAvatar = style.hostAvatar
      guestAvatar = style.guestAvatar
      progress.classList.toggle('bf-progress-bottom', style.progressBar.placement === 'Bottom')
      root.classList.toggle('bf-buttons-vertical', style.buttonsLayout === 'vertical')
    },

    /** A bot bubble holding `content`; returns the bubble for late updates (media that loads). */
    appendHostBubble(content: Node, options: { isMedia?: boolean } = {}): HTMLElement {
      const row = hostRow()
      if (!hostAvatar.isEnabled) row.classList.add('bf-no-avatar')
      const bubble = element('div', `bf-bubble bf-bubble-host${options.isMedia ? ' bf-bubble-media' : ''}`)
      bubble.append(content)
      row.append(bubble)
      log.append(row)
      scrollToBottom()
      return bubble
    },

    /** The user's answer as its own bubble (text only: never markup). */
    appendGuestBubble(text: string, detail?: HTMLElement): HTMLElement {
      const row = element('div', 'bf-row bf-row-guest')
      const bubble = element('div', 'bf-bubble bf-bubble-guest')
      bubble.textContent = text
      if (detail) bubble.append(detail)
      row.append(bubble)
      if (guestAvatar.isEnabled) row.append(renderAvatar(guestAvatar, 'guest'))
      lastRow = 'guest'
      log.append(row)
      scrollToBottom()
      return bubble
    },

    /** A small error line in the log, with an optional button (retry, restart). */
    appendError(text: string, action?: { label: string; onClick(): void }) {
      const row = element('div', 'bf-row bf-row-error')
      const bubble = element('div', 'bf-error')
      bubble.setAttribute('role', 'alert')
      bubble.append(element('span', 'bf-error-text', text))
      if (action) {
        const button = element('button', 'bf-button bf-button-small', action.label)
        button.type = 'button'
        button.addEventListener('click', () => {
          button.disabled = true
          action.onClick()
        })
        bubble.append(button)
      }
      row.append(bubble)
      lastRow = undefined
      log.append(row)
      scrollToBottom()
    },

    setTyping(isTyping: boolean) {
      if (isTyping && !typing.firstChild)
        typing.append(...(hostAvatar.isEnabled ? [element('span', 'bf-avatar-spacer')] : []), typingBubble)
      if (!isTyping) typing.replaceChildren()
      typing.hidden = !isTyping
      if (isTyping) scrollToBottom()
    },

    /** Replaces the input area; focuses the first field unless `focus` is false. */
    setInput(form: HTMLElement | undefined, options: { focus?: boolean } = {}) {
      inputArea.replaceChildren(...(form ? [form] : []))
      if (!form) return
      scrollToBottom()
      if (options.focus === false) return
      const field = form.querySelector<HTMLElement>('input:not([type=hidden]), textarea, select, button')
      // On touch screens focusing a text field pops the keyboard over the question: let the user tap.
      if (field && field.tagName !== 'BUTTON' && matchMedia('(pointer: coarse)').matches) return
      field?.focus({ preventScroll: true })
    },

    setProgress(value: number | undefined, isEnabled: boolean) {
      progress.hidden = !isEnabled || value === undefined
      if (value === undefined) return
      const percent = Math.max(0, Math.min(100, value))
      progressFill.style.width = `${percent}%`
      progress.setAttribute('aria-valuenow', String(Math.round(percent)))
    },

    scrollToBottom,
  }
}

function renderAvatar(avatar: Avatar, side: 'host' | 'guest'): HTMLElement {
  const holder = element('span', `bf-avatar bf-avatar-${side}`)
  holder.setAttribute('aria-hidden', 'true')
  const imageUrl = toSafeMediaUrl(avatar.url, location.href)
  if (imageUrl && /^(https?:|data:)/.test(avatar.url ?? '')) {
    const image = document.createElement('img')
    image.src = imageUrl
    image.alt = ''
    holder.append(image)
  } else if (avatar.url) {
    // An emoji or a word as avatar, as Typebot shows it: text, never markup.
    holder.textContent = Array.from(avatar.url).slice(0, 2).join('')
  } else {
    holder.classList.add('bf-avatar-default')
  }
  return holder
}

export function element<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const created = document.createElement(tag)
  if (className) created.className = className
  if (text !== undefined) created.textContent = text
  return created
}
