import { embedCss } from './embed-css.js'

/** Filled in by the server (`GET /{publicId}/embed.js` wraps this bundle in a function of it). */
type EmbedDefaults = { publicId?: string; name?: string; buttonColor?: string; iconColor?: string }
declare const botflowEmbedDefaults: EmbedDefaults | undefined

/**
 * The bubble snippet: `<script src="https://host/{publicId}/embed.js" async></script>` adds a
 * floating button that opens the chat page in an iframe. Everything lives in a shadow root so the
 * host page's CSS and ours never meet.
 */
function mountEmbed() {
  const script = document.currentScript
  if (!(script instanceof HTMLScriptElement) || !script.src) return
  const defaults: EmbedDefaults = typeof botflowEmbedDefaults === 'object' && botflowEmbedDefaults ? botflowEmbedDefaults : {}
  const scriptUrl = new URL(script.src)
  const segments = scriptUrl.pathname.split('/').filter(Boolean)
  const publicId = script.dataset.typebot ?? defaults.publicId ?? segments[segments.length - 2]
  if (!publicId) return
  const chatUrl = `${scriptUrl.origin}/${encodeURIComponent(publicId)}`
  const name = defaults.name ?? 'Chat'
  const buttonColor = pickColor(script.dataset.buttonColor, defaults.buttonColor, '#0042DA')
  const iconColor = pickColor(script.dataset.iconColor, defaults.iconColor, '#FFFFFF')

  const attach = () => {
    const host = document.createElement('div')
    host.setAttribute('data-botflow-embed', publicId)
    const shadow = host.attachShadow({ mode: 'open' })
    const style = document.createElement('style')
    style.textContent = embedCss
    host.style.setProperty('--bf-embed-button-bg', buttonColor)
    host.style.setProperty('--bf-embed-icon', iconColor)

    const panel = document.createElement('div')
    panel.className = 'panel'
    panel.id = 'botflow-panel'
    panel.hidden = true
    panel.setAttribute('role', 'dialog')
    panel.setAttribute('aria-label', name)
    const header = document.createElement('div')
    header.className = 'header'
    const title = document.createElement('span')
    title.textContent = name
    const close = document.createElement('button')
    close.type = 'button'
    close.className = 'close'
    close.setAttribute('aria-label', 'Close chat')
    close.textContent = '×'
    header.append(title, close)
    panel.append(header)

    const launcher = document.createElement('button')
    launcher.type = 'button'
    launcher.className = 'launcher'
    launcher.setAttribute('aria-controls', panel.id)
    launcher.append(chatIcon(), closeIcon())

    let frame: HTMLIFrameElement | undefined
    const setOpen = (isOpen: boolean) => {
      panel.hidden = !isOpen
      launcher.classList.toggle('open', isOpen)
      launcher.setAttribute('aria-expanded', String(isOpen))
      launcher.setAttribute('aria-label', isOpen ? 'Close chat' : `Open chat: ${name}`)
      if (isOpen && !frame) {
        // The chat starts on first open only: a page view alone creates no session.
        frame = document.createElement('iframe')
        frame.src = chatUrl
        frame.title = name
        frame.allow = 'autoplay; clipboard-write; fullscreen'
        panel.append(frame)
      }
      if (isOpen) frame?.focus()
      else launcher.focus()
    }
    setOpen(false)
    launcher.addEventListener('click', () => setOpen(panel.hidden))
    close.addEventListener('click', () => setOpen(false))
    shadow.addEventListener('keydown', (event) => {
      if ((event as KeyboardEvent).key === 'Escape' && !panel.hidden) setOpen(false)
    })
    // Escape pressed inside the chat frame arrives as a message from that frame.
    window.addEventListener('message', (event) => {
      if (frame && event.source === frame.contentWindow && (event.data as { botflow?: unknown } | null)?.botflow === 'close') setOpen(false)
    })
    shadow.append(style, panel, launcher)
    document.body.append(host)
  }

  if (document.body) attach()
  else document.addEventListener('DOMContentLoaded', attach, { once: true })
}

function pickColor(...candidates: (string | undefined)[]): string {
  return candidates.find((color): color is string => typeof color === 'string' && CSS.supports('color', color)) ?? '#0042DA'
}

function chatIcon(): SVGElement {
  return svgIcon('icon-chat', 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z')
}

function closeIcon(): SVGElement {
  return svgIcon('icon-close', 'M6 6l12 12M18 6L6 18')
}

function svgIcon(className: string, path: string): SVGElement {
  const namespace = 'http://www.w3.org/2000/svg'
  const svg = document.createElementNS(namespace, 'svg')
  svg.setAttribute('viewBox', '0 0 24 24')
  svg.setAttribute('class', className)
  svg.setAttribute('aria-hidden', 'true')
  const shape = document.createElementNS(namespace, 'path')
  shape.setAttribute('d', path)
  svg.append(shape)
  return svg
}

mountEmbed()
