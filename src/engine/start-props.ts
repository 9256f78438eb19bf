/**
 * The page-level injections a live start asks the client for (`startPropsToInject`, §7.7); in
 * preview they are only announced by an info log (§2.4 step 8).
 */

import { recordOf } from '../json-record.js'
import { startPropsOf } from './blocks/registry.js'
import { withoutLiteBadgeRules } from './lite-badge-css.js'
import type { ChatLog, ClientSideAction, TypebotSnapshot } from './types.js'

type StartPropsToInject = { googleAnalyticsId?: string; pixelIds?: string[]; gtmId?: string; customHeadCode?: string }

export function startPropsActionOf(typebot: TypebotSnapshot, isPreview: boolean): { action?: ClientSideAction; log?: ChatLog } {
  const props = collectStartProps(typebot)
  const names = [
    props.customHeadCode ? 'Custom head code' : undefined,
    props.googleAnalyticsId ? 'Google Analytics' : undefined,
    props.pixelIds ? 'Pixel' : undefined,
    props.gtmId ? 'Google Tag Manager' : undefined,
  ].filter((name): name is string => name !== undefined)
  if (names.length === 0) return {}
  if (!isPreview) return { action: { type: 'startPropsToInject', startPropsToInject: props } }
  const list = names.join(', ')
  return { log: { status: 'info', description: `${list} ${names.length > 1 ? 'are' : 'is'} not enabled in Preview mode` } }
}

function collectStartProps(typebot: TypebotSnapshot): StartPropsToInject {
  const metadata = recordOf(typebot.settings.metadata)
  const props: StartPropsToInject = {}
  const pixelIds: string[] = []
  for (const group of typebot.groups) {
    for (const block of group.blocks) {
      const blockProps = startPropsOf(block)
      if (blockProps.googleAnalyticsId && !props.googleAnalyticsId) props.googleAnalyticsId = blockProps.googleAnalyticsId
      if (blockProps.pixelIds) pixelIds.push(...blockProps.pixelIds)
    }
  }
  if (pixelIds.length > 0) props.pixelIds = pixelIds
  if (typeof metadata.googleTagManagerId === 'string' && metadata.googleTagManagerId) props.gtmId = metadata.googleTagManagerId
  if (typeof metadata.customHeadCode === 'string') {
    const headCode = cleanCustomHeadCode(metadata.customHeadCode)
    if (headCode) props.customHeadCode = headCode
  }
  return props
}

const voidElements = new Set(['base', 'link', 'meta', 'br', 'hr', 'img', 'input', 'source', 'wbr'])

/** Keeps the top-level elements only (text between them is dropped), without `lite-badge` CSS. */
export function cleanCustomHeadCode(html: string): string {
  const elements: string[] = []
  let index = 0
  while (index < html.length) {
    const open = html.indexOf('<', index)
    if (open === -1) break
    if (html.startsWith('<!--', open)) {
      const end = html.indexOf('-->', open + 4)
      index = end === -1 ? html.length : end + 3
      continue
    }
    const tag = /^<([a-zA-Z][\w:-]*)\b[^>]*>/.exec(html.slice(open))
    if (!tag) {
      index = open + 1
      continue
    }
    const name = tag[1]!.toLowerCase()
    const afterOpenTag = open + tag[0].length
    const end = tag[0].endsWith('/>') || voidElements.has(name) ? afterOpenTag : closingTagEnd(html, name, afterOpenTag)
    const element = html.slice(open, end)
    elements.push(name === 'style' ? withoutLiteBadgeCss(element) : element)
    index = end
  }
  return elements.join('\n')
}

/** End of the element's closing tag, counting nested elements of the same name. */
function closingTagEnd(html: string, name: string, from: number): number {
  const pattern = new RegExp(`<(/?)${name}\\b[^>]*>`, 'gi')
  pattern.lastIndex = from
  let depth = 1
  const isRawText = name === 'script' || name === 'style'
  for (let match = pattern.exec(html); match; match = pattern.exec(html)) {
    if (match[1] === '/') depth -= 1
    else if (!isRawText) depth += 1
    if (depth === 0) return match.index + match[0].length
  }
  return html.length
}

function withoutLiteBadgeCss(styleElement: string): string {
  const open = styleElement.indexOf('>') + 1
  const close = styleElement.toLowerCase().lastIndexOf('</style')
  if (close < open) return styleElement
  return styleElement.slice(0, open) + withoutLiteBadgeRules(styleElement.slice(open, close)) + styleElement.slice(close)
}
