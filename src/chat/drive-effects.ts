import type { Effectful, EffectRequest, EffectResult } from '../engine/types.js'
import { AppError } from '../errors.js'

/**
 * Performs one effect; the shell's own reads, then `EffectPerformer` of src/effects for the rest.
 * `deadline` is set for sandbox calls: the absolute time at which the turn's budget runs out.
 */
export type PerformEffect = (request: EffectRequest, options: { deadline?: number }) => Promise<EffectResult>

/** Typebot's cap: a turn that loops over an Email block cannot turn the bot into a mailer. */
export const maxEmailsPerTurn = 5

/** How long a turn may run its flow: engine work plus sandbox calls, not waits for HTTP, e-mail or storage. */
export type TurnBudget = { timeMs: number }

// A turn gives the event loop back after this long, so other requests are served in between.
const SLICE_MS = 10

/**
 * Runs an engine generator to its end, performing each effect it yields. The time the engine
 * computes and the time sandbox calls take count against the budget; at a checkpoint (before
 * each block) a spent budget ends the turn with 408, and a long stretch of work pauses for
 * other requests.
 */
export async function driveEffects<T>(computation: Effectful<T>, perform: PerformEffect, budget?: TurnBudget): Promise<T> {
  const limitMs = budget?.timeMs ?? Number.POSITIVE_INFINITY
  let emailCount = 0
  let spentMs = 0
  let sliceStartedAt = performance.now()
  const advance = (result?: EffectResult) => {
    const startedAt = performance.now()
    const next = result === undefined ? computation.next() : computation.next(result)
    spentMs += performance.now() - startedAt
    return next
  }
  let step = advance()
  while (!step.done) {
    const request = step.value
    const isCode = request.type === 'runCode' || request.type === 'runServerScript'
    if ((request.type === 'checkpoint' || isCode) && spentMs >= limitMs) {
      throw new AppError('TIMEOUT', `${limitMs / 1000} seconds timeout reached`)
    }
    if (request.type === 'checkpoint') {
      if (performance.now() - sliceStartedAt >= SLICE_MS) {
        await new Promise((resolve) => setImmediate(resolve))
        sliceStartedAt = performance.now()
      }
      step = advance({ type: 'checkpoint' })
      continue
    }
    const startedAt = performance.now()
    const isOverEmailCap = request.type === 'sendEmail' && ++emailCount > maxEmailsPerTurn
    const result: EffectResult = isOverEmailCap
      ? { type: 'sendEmail', ok: false, error: `Attempt to send more than ${maxEmailsPerTurn} emails in one turn` }
      : await perform(request, isCode ? { deadline: Date.now() + (limitMs - spentMs) } : {})
    if (isCode) spentMs += performance.now() - startedAt
    sliceStartedAt = performance.now()
    step = advance(result)
  }
  return step.value
}
