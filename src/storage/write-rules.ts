/** Rules both turn writers (SQLite's and PostgreSQL's) and the store share. */

/** Typebot keeps the first 1000 characters of long details followed by "..." (§3.8.3). */
export function truncateDetails(details: string | undefined): string | null {
  if (details === undefined) return null
  return details.length > 999 ? `${details.slice(0, 1000)}...` : details
}

/** A unique or primary key violation, as PostgreSQL and better-sqlite3 report it. */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  const code = (error as { code?: unknown }).code
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
}

/** When a session written at `writtenAt` expires (its time to live runs from its last write); null: never. */
export function expiresAtOf(state: { expiryTimeout?: number }, writtenAt: string): string | null {
  return state.expiryTimeout === undefined ? null : new Date(Date.parse(writtenAt) + state.expiryTimeout).toISOString()
}

/** The timestamp a write stores: ISO 8601, UTC. */
export function now(): string {
  return new Date().toISOString()
}
