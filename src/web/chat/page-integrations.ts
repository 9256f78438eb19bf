/**
 * The page-level integrations a typebot asks for, as Typebot's embed runs them: Google Analytics
 * and Meta Pixel (loaded by `startPropsToInject`, then fed events), Google Tag Manager and the
 * typebot's custom head code. A missing tracker is reported, never thrown.
 */

type Gtag = (...args: unknown[]) => void
type Fbq = ((...args: unknown[]) => void) & { queue?: unknown[][]; loaded?: boolean; version?: string; callMethod?: unknown }

declare global {
  interface Window {
    dataLayer?: unknown[]
    gtag?: Gtag
    fbq?: Fbq
    _fbq?: Fbq
  }
}

export type StartProps = { googleAnalyticsId?: unknown; pixelIds?: unknown; gtmId?: unknown; customHeadCode?: unknown }

export function injectStartProps(props: StartProps) {
  if (typeof props.customHeadCode === 'string' && props.customHeadCode.trim()) injectHeadCode(props.customHeadCode)
  if (typeof props.gtmId === 'string' && props.gtmId) loadTagManager(props.gtmId)
  if (typeof props.googleAnalyticsId === 'string' && props.googleAnalyticsId) loadGoogleAnalytics(props.googleAnalyticsId)
  if (Array.isArray(props.pixelIds)) {
    const ids = props.pixelIds.filter((id): id is string => typeof id === 'string' && id !== '')
    if (ids.length > 0) loadPixel(ids)
  }
}

/** `gtag('event', action, …)` with the block's category, label, value and destination. */
export function sendGoogleAnalyticsEvent(options: Record<string, unknown>): string | undefined {
  if (!options.trackingId) return undefined
  if (!window.gtag) return 'Google Analytics was not properly initialized'
  const parameters = {
    event_category: nonEmpty(options.category),
    event_label: nonEmpty(options.label),
    value: options.value,
    send_to: nonEmpty(options.sendTo),
  }
  window.gtag('event', options.action, parameters)
  return undefined
}

/** `fbq('trackSingle', …)`, or `trackSingleCustom` for a custom event with its name. */
export function sendPixelEvent(options: Record<string, unknown>): string | undefined {
  const { pixelId, eventType } = options
  if (typeof pixelId !== 'string' || !pixelId || typeof eventType !== 'string' || !eventType) return undefined
  if (!window.fbq) return 'Facebook Pixel was not properly initialized'
  const params = toPixelParams(options.params)
  if (eventType === 'Custom') {
    if (typeof options.name === 'string' && options.name) window.fbq('trackSingleCustom', pixelId, options.name, params)
    return undefined
  }
  window.fbq('trackSingle', pixelId, eventType, params)
  return undefined
}

function loadGoogleAnalytics(id: string) {
  if (window.gtag) return
  window.dataLayer = window.dataLayer ?? []
  const dataLayer = window.dataLayer
  // gtag.js reads the `arguments` objects pushed here, not arrays.
  window.gtag = function gtag() {
    // biome-ignore lint/complexity/noArguments: gtag.js expects the arguments object itself
    dataLayer.push(arguments)
  }
  window.gtag('js', new Date())
  window.gtag('config', id)
  appendScript(`https://www.googletagmanager.com/gtag/js?id=${encodeURIComponent(id)}`)
}

function loadPixel(ids: string[]) {
  if (!window.fbq) {
    const fbq: Fbq = (...args: unknown[]) => {
      if (typeof fbq.callMethod === 'function') fbq.callMethod(...args)
      else fbq.queue?.push(args)
    }
    fbq.queue = []
    fbq.loaded = true
    fbq.version = '2.0'
    window.fbq = fbq
    window._fbq = window._fbq ?? fbq
    appendScript('https://connect.facebook.net/en_US/fbevents.js')
  }
  for (const id of ids) window.fbq?.('init', id)
  window.fbq?.('track', 'PageView')
}

function loadTagManager(id: string) {
  window.dataLayer = window.dataLayer ?? []
  window.dataLayer.push({ 'gtm.start': Date.now(), event: 'gtm.js' })
  appendScript(`https://www.googletagmanager.com/gtm.js?id=${encodeURIComponent(id)}`)
}

/** The typebot's own head elements; scripts are re-created so that the browser runs them. */
function injectHeadCode(html: string) {
  const template = document.createElement('template')
  template.innerHTML = html
  for (const node of Array.from(template.content.childNodes)) {
    if (node instanceof HTMLScriptElement) {
      const script = document.createElement('script')
      for (const attribute of Array.from(node.attributes)) script.setAttribute(attribute.name, attribute.value)
      script.textContent = node.textContent
      document.head.append(script)
    } else if (node instanceof Element) {
      document.head.append(node)
    }
  }
}

function appendScript(src: string) {
  const script = document.createElement('script')
  script.async = true
  script.src = src
  document.head.append(script)
}

function toPixelParams(params: unknown): Record<string, string> | undefined {
  if (!Array.isArray(params) || params.length === 0) return undefined
  const entries = params.flatMap((param) =>
    param && typeof param === 'object' && typeof param.key === 'string' && param.key && typeof param.value === 'string' && param.value
      ? [[param.key, param.value] as const]
      : [],
  )
  return entries.length > 0 ? Object.fromEntries(entries) : undefined
}

function nonEmpty(value: unknown): unknown {
  return value === '' || value === null ? undefined : value
}
