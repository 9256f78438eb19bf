/** Narrowing helpers for parsed JSON, shared by the engine, the shell and the routes (pure). */

/** A JSON object: not null, not an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A shallow copy of a JSON object, or `{}` for anything else: for reading optional settings. */
export function recordOf(value: unknown): Record<string, unknown> {
  return isRecord(value) ? { ...value } : {}
}
