import type { CodeResult, Effectful, EffectResult } from './types.js'

/**
 * Runs untrusted JavaScript as a function body with `globals` bound by name. The engine never
 * evaluates code itself: the shell runs it in the sandbox, off the main thread, with its limits.
 */
export function* runCode(code: string, globals: Record<string, unknown>): Effectful<CodeResult> {
  const result: EffectResult = yield { type: 'runCode', code, globals }
  return result.type === 'runCode' ? result.result : { ok: false, error: `Expected a runCode result, got ${result.type}` }
}

/** A safe point between two blocks: the shell may serve other requests here, or end an overlong turn. */
export function* checkpoint(): Effectful<void> {
  yield { type: 'checkpoint' }
}
