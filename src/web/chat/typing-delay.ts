/** `settings.typingEmulation` of a typebot (docs/runtime.md §1.6); absent fields take Typebot's defaults. */
export type TypingEmulation = {
  enabled?: boolean
  speed?: number
  maxDelay?: number
  delayBetweenBubbles?: number
  isDisabledOnFirstMessage?: boolean
}

/** However slow the flow asks the bot to type, a reader never waits longer than this per bubble. */
export const maxTypingDelayMs = 1500
const mediaTypingDelayMs = 500

/**
 * How long the typing indicator shows before a bubble: the words at `speed` words per minute,
 * capped by `maxDelay` seconds and by `maxTypingDelayMs`, plus the pause between bubbles.
 */
export function computeTypingDelayMs(
  bubble: { wordCount: number; isMedia: boolean },
  settings: { typingEmulation?: TypingEmulation; isGeneralTypingEnabled?: boolean },
  position: { isFirstOfChat: boolean; isFirstOfTurn: boolean },
): number {
  const typing = settings.typingEmulation ?? {}
  const pauseMs = position.isFirstOfTurn ? 0 : clamp((typing.delayBetweenBubbles ?? 0) * 1000, 0, maxTypingDelayMs)
  const isEnabled = (typing.enabled ?? true) && (settings.isGeneralTypingEnabled ?? true)
  if (!isEnabled) return pauseMs
  if (position.isFirstOfChat && (typing.isDisabledOnFirstMessage ?? true)) return pauseMs
  const speed = typing.speed && typing.speed > 0 ? typing.speed : 400
  const maxDelayMs = (typing.maxDelay ?? 3) * 1000
  const typingMs = bubble.isMedia ? mediaTypingDelayMs : (bubble.wordCount / speed) * 60_000
  return pauseMs + clamp(typingMs, 0, Math.min(maxDelayMs, maxTypingDelayMs))
}

export function countWords(text: string): number {
  return text.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word)).length
}

function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, Number.isFinite(value) ? value : 0))
}
