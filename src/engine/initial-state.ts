/**
 * The state of a new session (§2.4 steps 3-4): variables (with remembered values), answers of a
 * reused result, dynamic theme templates, progress tracking and the variables whose changes are
 * recorded in the set-variable history.
 */

import { recordOf } from '../json-record.js'
import { findBlockHandler } from './blocks/registry.js'
import type { StartParams } from './start-session.js'
import { hasValue } from './state.js'
import type { Answer, Block, SessionState, TypebotSnapshot, Variable } from './types.js'

export function createInitialState(params: StartParams): SessionState {
  const { loaded, isPreview } = params
  const typebot = loaded.typebot
  const restored = params.restoredResult
  const variables = typebot.variables.map((variable): Variable => {
    if (hasValue(variable.value) || !restored) return { ...variable }
    const stored = restored.variables.find((candidate) => candidate.name === variable.name)
    return stored && stored.value !== undefined ? { ...variable, value: stored.value } : { ...variable }
  })
  const resultId = isPreview ? undefined : params.resultId
  const dynamicTheme = dynamicThemeOf(typebot)
  const allowedOrigins = isPreview ? undefined : stringsOf(recordOf(typebot.settings.security).allowedOrigins)
  const isProgressEnabled =
    isPreview && params.isProgressBarEnabled !== undefined
      ? params.isProgressBarEnabled
      : recordOf(recordOf(typebot.theme.general).progressBar).isEnabled === true

  return {
    version: 'botflow-1',
    workspaceId: params.workspaceId,
    isPreview,
    ...(isPreview && params.previewUserId ? { previewUserId: params.previewUserId } : {}),
    typebotsQueue: [
      {
        typebotId: typebot.id,
        versionId: loaded.versionId,
        ...(resultId ? { resultId } : {}),
        variables,
        answers: restored ? restoredAnswers(typebot, restored.answers) : [],
      },
    ],
    ...(dynamicTheme ? { dynamicTheme } : {}),
    ...(params.isStreamEnabled ? { isStreamEnabled: true } : {}),
    ...(allowedOrigins?.length ? { allowedOrigins } : {}),
    ...(isProgressEnabled ? { progressMetadata: { totalAnswers: 0 } } : {}),
    setVariableIdsForHistory: historyVariableIdsOf(typebot),
  }
}

/** §4.14: only URLs written as templates (`{{...}}`) are kept and re-substituted per response. */
function dynamicThemeOf(typebot: TypebotSnapshot): SessionState['dynamicTheme'] {
  const chat = recordOf(typebot.theme.chat)
  const hostAvatar = recordOf(chat.hostAvatar)
  const guestAvatar = recordOf(chat.guestAvatar)
  const background = recordOf(recordOf(typebot.theme.general).background)
  const templateOf = (isEnabled: boolean, url: unknown) => (isEnabled && typeof url === 'string' && url.startsWith('{{') ? url : undefined)
  const hostAvatarUrl = templateOf(hostAvatar.isEnabled !== false, hostAvatar.url)
  const guestAvatarUrl = templateOf(guestAvatar.isEnabled === true, guestAvatar.url)
  const backgroundUrl = templateOf(true, background.content)
  if (!hostAvatarUrl && !guestAvatarUrl && !backgroundUrl) return undefined
  return {
    ...(hostAvatarUrl ? { hostAvatarUrl } : {}),
    ...(guestAvatarUrl ? { guestAvatarUrl } : {}),
    ...(backgroundUrl ? { backgroundUrl } : {}),
  }
}

/** Remembered answers keyed as §2.4 step 4 says (no ` (n)` suffix there). */
function restoredAnswers(typebot: TypebotSnapshot, answers: { blockId: string; content: string }[]): Answer[] {
  return answers.map(({ blockId, content }) => {
    for (const group of typebot.groups) {
      const block = group.blocks.find((candidate) => candidate.id === blockId)
      if (!block) continue
      if (findBlockHandler(block)?.family !== 'input') return { key: 'unknown', value: content }
      const variableId = recordOf(optionsOf(block)).variableId
      const name = typebot.variables.find((variable) => variable.id === variableId)?.name
      return { key: name || group.title || 'unknown', value: content }
    }
    return { key: 'unknown', value: content }
  })
}

const historyVariableIds = new WeakMap<TypebotSnapshot, string[]>()

/**
 * §4.15.2: variables shown by bubbles (text, media URLs) or compared by conditions; the
 * Transcript replay needs their values as they were. Walks the graph once per immutable snapshot.
 */
function historyVariableIdsOf(typebot: TypebotSnapshot): string[] {
  let ids = historyVariableIds.get(typebot)
  if (!ids) {
    ids = collectHistoryVariableIds(typebot)
    historyVariableIds.set(typebot, ids)
  }
  return ids
}

function collectHistoryVariableIds(typebot: TypebotSnapshot): string[] {
  const names = new Set<string>()
  const ids = new Set<string>()
  for (const group of typebot.groups) {
    for (const block of group.blocks) {
      if (findBlockHandler(block)?.family === 'bubble' && 'content' in block) collectReferencedNames(block.content, names)
      for (const comparison of comparisonsOf(block)) {
        if (typeof comparison.variableId === 'string') ids.add(comparison.variableId)
        collectReferencedNames(comparison.value, names)
      }
    }
  }
  for (const variable of typebot.variables) if (names.has(variable.name)) ids.add(variable.id)
  return typebot.variables.filter((variable) => ids.has(variable.id)).map((variable) => variable.id)
}

function comparisonsOf(block: Block): Record<string, unknown>[] {
  if (!('items' in block) || !Array.isArray(block.items)) return []
  return (block.items as unknown[]).flatMap((item) => {
    const content = recordOf(recordOf(item).content)
    return Array.isArray(content.comparisons) ? (content.comparisons as unknown[]).map(recordOf) : []
  })
}

function collectReferencedNames(value: unknown, names: Set<string>): void {
  if (typeof value === 'string') {
    for (const match of value.matchAll(/\{\{([^{}]+)\}\}/g)) names.add(match[1]!)
  } else if (Array.isArray(value)) {
    for (const item of value) collectReferencedNames(item, names)
  } else if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) collectReferencedNames(item, names)
  }
}

function optionsOf(block: Block): unknown {
  return 'options' in block ? block.options : undefined
}

function stringsOf(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : undefined
}
