/**
 * Variable values and `{{Name}}` substitution (§5 of the runtime spec).
 * STUB: signatures are the contract; bodies are being written.
 */
import type { EngineEnv, Variable, VariableValue } from './types.js'

export type SubstitutionMode = 'text' | 'json' | 'html' | 'id'

/** §5.1: any JSON value -> what a variable may hold (strings, lists of strings/null, null). */
export function normalizeValue(value: unknown): VariableValue {
  throw new Error('not implemented: normalizeValue')
}

/** §5.2/5.3: replaces `{{Name}}`, `${{{Name}}}` and `{{= code =}}` in a string. */
export function substituteVariables(
  text: string | undefined,
  variables: Variable[],
  env: EngineEnv,
  options?: { mode?: SubstitutionMode; takeLatestIfList?: boolean },
): string {
  throw new Error('not implemented: substituteVariables')
}

/** §5.4: a stored value as code sees it ("12" -> 12, "true" -> true, "0612" stays a string). */
export function guessValueType(value: VariableValue | undefined): unknown {
  throw new Error('not implemented: guessValueType')
}

/** §5.5: substitutes every string at any depth of a plain object or array. */
export function substituteDeep<T>(
  value: T,
  variables: Variable[],
  env: EngineEnv,
  options?: { guessTypes?: boolean; removeEmptyStrings?: boolean },
): T {
  throw new Error('not implemented: substituteDeep')
}

/** The first variable with that name that has a value (§5.2), else the first with that name. */
export function findVariableByName(variables: Variable[], name: string): Variable | undefined {
  throw new Error('not implemented: findVariableByName')
}
