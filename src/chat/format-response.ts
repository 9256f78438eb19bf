import { withoutLiteBadgeRules } from '../engine/lite-badge-css.js'
import type { ChatLog, Effectful, SessionState, Turn, TypebotSnapshot, Variable } from '../engine/types.js'
import { substituteDeep } from '../engine/variables.js'
import type { ContinueChatResponse } from '../schemas/chat-api.js'

/** Outcome logs Typebot keeps out of live responses (they are still stored with the result). */
const hiddenLiveLogDescriptions = new Set([
  'Webhook successfuly executed.',
  'Webhook returned an error.',
  'Email successfully sent',
  'Email not sent',
])

export function filterLogs(logs: ChatLog[], isPreview: boolean): ChatLog[] {
  return isPreview ? logs : logs.filter((log) => !hiddenLiveLogDescriptions.has(log.description))
}

/** The `typebot` field of a start response: settings reduced to what clients read, theme cleaned. */
/** Theme and settings may hold variables, even inline code: substituted like flow text. */
export function* toTypebotPayload(snapshot: TypebotSnapshot, variables: Variable[]): Effectful<TypebotPayload> {
  const { general, chat, customCss } = snapshot.theme as { general?: unknown; chat?: unknown; customCss?: unknown }
  const theme: Record<string, unknown> = {}
  if (general !== undefined) theme.general = yield* substituteDeep(general, variables)
  if (chat !== undefined) theme.chat = yield* substituteDeep(chat, variables)
  if (typeof customCss === 'string') theme.customCss = removeLiteBadgeRules(yield* substituteDeep(customCss, variables))
  const settings: Record<string, unknown> = {}
  const { general: generalSettings, typingEmulation } = snapshot.settings as { general?: unknown; typingEmulation?: unknown }
  if (generalSettings !== undefined) settings.general = yield* substituteDeep(generalSettings, variables)
  if (typingEmulation !== undefined) settings.typingEmulation = yield* substituteDeep(typingEmulation, variables)
  return { id: snapshot.id, version: snapshot.version, theme, settings }
}

export type TypebotPayload = { id: string; version: string; theme: Record<string, unknown>; settings: Record<string, unknown> }

export type DynamicTheme = { hostAvatarUrl?: string; guestAvatarUrl?: string; backgroundUrl?: string }

export function* computeDynamicTheme(state: SessionState): Effectful<DynamicTheme | undefined> {
  if (!state.dynamicTheme) return undefined
  const variables = state.typebotsQueue[0]?.variables ?? []
  const resolved: DynamicTheme = {}
  for (const key of ['hostAvatarUrl', 'guestAvatarUrl', 'backgroundUrl'] as const) {
    const template = state.dynamicTheme[key]
    if (template !== undefined) resolved[key] = yield* substituteDeep(template, variables)
  }
  return resolved
}

export function hasBlockingAction(turn: Turn): boolean {
  return turn.clientSideActions.some((action) => action.expectsDedicatedReply === true)
}

/** The body of a continueChat answer, with Typebot's presence rules for actions and logs (§3.0.6). */
export function* toContinueChatResponse(turn: Turn): Effectful<ContinueChatResponse> {
  const response: ContinueChatResponse = { messages: turn.messages }
  if (turn.input) response.input = turn.input
  if (turn.isRetry) return response
  if (turn.hasWalked) {
    response.clientSideActions = turn.clientSideActions
    response.logs = filterLogs(turn.logs, turn.state.isPreview)
  }
  const dynamicTheme = yield* computeDynamicTheme(turn.state)
  if (dynamicTheme) response.dynamicTheme = dynamicTheme
  if (turn.progress !== undefined) response.progress = turn.progress
  if (turn.lastMessageNewFormat !== undefined) response.lastMessageNewFormat = turn.lastMessageNewFormat
  return response
}

/** Drops CSS comments and every rule that mentions `lite-badge`, and at-rules left empty by that. */
export function removeLiteBadgeRules(css: string): string {
  return withoutLiteBadgeRules(withoutComments(css)).trim()
}

// One pass: a lazy regex rescanned the rest of the text from every unclosed `/*`.
function withoutComments(css: string): string {
  let output = ''
  let index = 0
  while (index < css.length) {
    const open = css.indexOf('/*', index)
    if (open === -1) return output + css.slice(index)
    output += css.slice(index, open)
    const close = css.indexOf('*/', open + 2)
    if (close === -1) return output + css.slice(open)
    index = close + 2
  }
  return output
}
