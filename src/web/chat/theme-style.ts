import { toSafeMediaUrl } from './safe-url.js'
import type { DynamicTheme } from './wire-types.js'

export type Avatar = { isEnabled: boolean; url?: string }

/** What the page takes from `typebot.theme` (docs/runtime.md §1.7): CSS variables plus a few switches. */
export type ThemeStyle = {
  /** Custom properties for the page root; values already checked, so they are safe to set. */
  variables: Record<string, string>
  hostAvatar: Avatar
  guestAvatar: Avatar
  progressBar: { isEnabled: boolean; placement: 'Top' | 'Bottom' }
  buttonsLayout: 'wrap' | 'vertical'
}

type ThemeObject = Record<string, unknown>

const colorFields: [section: string, field: string, variable: string][] = [
  ['hostBubbles', 'backgroundColor', '--bf-host-bubble-bg'],
  ['hostBubbles', 'color', '--bf-host-bubble-color'],
  ['guestBubbles', 'backgroundColor', '--bf-guest-bubble-bg'],
  ['guestBubbles', 'color', '--bf-guest-bubble-color'],
  ['buttons', 'backgroundColor', '--bf-button-bg'],
  ['buttons', 'color', '--bf-button-color'],
  ['inputs', 'backgroundColor', '--bf-input-bg'],
  ['inputs', 'color', '--bf-input-color'],
  ['inputs', 'placeholderColor', '--bf-input-placeholder'],
  ['container', 'backgroundColor', '--bf-container-bg'],
  ['container', 'color', '--bf-container-color'],
]

const radiusByRoundness: Record<string, string> = { none: '0px', medium: '8px', large: '18px' }

/**
 * Reads a typebot theme into CSS variables. `isColor` decides what counts as a colour (the
 * browser's own parser on the page), so a value from a flow can never break out of its property.
 */
export function toThemeStyle(
  theme: ThemeObject,
  dynamicTheme: DynamicTheme | undefined,
  isColor: (value: string) => boolean,
  baseUrl: string,
): ThemeStyle {
  const general = asObject(theme.general)
  const chat = asObject(theme.chat)
  const variables: Record<string, string> = {}

  for (const [section, field, variable] of colorFields) {
    const value = asObject(chat[section])[field]
    if (typeof value === 'string' && isColor(value.trim())) variables[variable] = value.trim()
  }

  const background = asObject(general.background)
  const backgroundImage = dynamicTheme?.backgroundUrl ?? (background.type === 'Image' ? asString(background.content) : undefined)
  if (background.type === 'Color' && typeof background.content === 'string' && isColor(background.content.trim()))
    variables['--bf-background-color'] = background.content.trim()
  const imageUrl = backgroundImage ? toSafeMediaUrl(backgroundImage, baseUrl) : undefined
  if (imageUrl) variables['--bf-background-image'] = `url(${toCssString(imageUrl)})`

  const fontFamily = toFontFamily(general.font)
  if (fontFamily) variables['--bf-font'] = `${toCssString(fontFamily)}, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif`

  const radius = radiusByRoundness[asString(chat.roundness) ?? '']
  if (radius) variables['--bf-radius'] = radius

  const progressBar = asObject(general.progressBar)
  for (const [field, variable] of [
    ['color', '--bf-progress-color'],
    ['backgroundColor', '--bf-progress-bg'],
  ] as const) {
    const value = progressBar[field]
    if (typeof value === 'string' && isColor(value.trim())) variables[variable] = value.trim()
  }
  if (typeof progressBar.thickness === 'number' && progressBar.thickness > 0 && progressBar.thickness <= 20)
    variables['--bf-progress-thickness'] = `${progressBar.thickness}px`

  return {
    variables,
    hostAvatar: toAvatar(chat.hostAvatar, true, dynamicTheme?.hostAvatarUrl),
    guestAvatar: toAvatar(chat.guestAvatar, false, dynamicTheme?.guestAvatarUrl),
    progressBar: { isEnabled: progressBar.isEnabled === true, placement: progressBar.placement === 'Bottom' ? 'Bottom' : 'Top' },
    buttonsLayout: asObject(chat.buttonsInput).layout === 'vertical' ? 'vertical' : 'wrap',
  }
}

/** A legacy family string or `{ type, family }`; loaded from nowhere: the visitor's installed fonts or the fallback. */
function toFontFamily(font: unknown): string | undefined {
  const family = typeof font === 'string' ? font : asString(asObject(font).family)
  return family && /^[\p{L}\p{N} _-]{1,64}$/u.test(family.trim()) ? family.trim() : undefined
}

function toAvatar(value: unknown, isEnabledByDefault: boolean, dynamicUrl: string | undefined): Avatar {
  const avatar = asObject(value)
  const isEnabled = typeof avatar.isEnabled === 'boolean' ? avatar.isEnabled : isEnabledByDefault
  const url = dynamicUrl ?? asString(avatar.url)
  return { isEnabled, url: url && url.trim() !== '' && !url.startsWith('{{') ? url.trim() : undefined }
}

/** A CSS string literal: quotes, backslashes and line breaks escaped. */
export function toCssString(value: string): string {
  return `"${value.replace(/[\\"]/g, '\\$&').replace(/[\n\r\f]/g, ' ')}"`
}

function asObject(value: unknown): ThemeObject {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as ThemeObject) : {}
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}
