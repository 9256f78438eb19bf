import type { Effectful, EffectRequest, EffectResult } from '../engine/types.js'

/** Performs one effect; the shell's own reads, then `EffectPerformer` of src/effects for the rest. */
export type PerformEffect = (request: EffectRequest) => Promise<EffectResult>

/** Runs an engine generator to its end, performing each effect it yields. */
export async function driveEffects<T>(computation: Effectful<T>, perform: PerformEffect): Promise<T> {
  let step = computation.next()
  while (!step.done) {
    const result = await perform(step.value)
    step = computation.next(result)
  }
  return step.value
}
