import type { Effectful, EffectRequest, EffectResult } from '../engine/types.js'

/** Performs one effect; the shell's own reads, then `EffectPerformer` of src/effects for the rest. */
export type PerformEffect = (request: EffectRequest) => Promise<EffectResult>

/** Typebot's cap: a turn that loops over an Email block cannot turn the bot into a mailer. */
export const maxEmailsPerTurn = 5

/** Runs an engine generator to its end, performing each effect it yields. */
export async function driveEffects<T>(computation: Effectful<T>, perform: PerformEffect): Promise<T> {
  let emailCount = 0
  let step = computation.next()
  while (!step.done) {
    const request = step.value
    const isOverEmailCap = request.type === 'sendEmail' && ++emailCount > maxEmailsPerTurn
    const result: EffectResult = isOverEmailCap
      ? { type: 'sendEmail', ok: false, error: `Attempt to send more than ${maxEmailsPerTurn} emails in one turn` }
      : await perform(request)
    step = computation.next(result)
  }
  return step.value
}
