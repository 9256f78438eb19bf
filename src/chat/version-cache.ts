import type { TypebotSnapshot } from '../engine/types.js'
import { AppError } from '../errors.js'
import { toSnapshot } from '../schemas/to-snapshot.js'
import { parseTypebot } from '../schemas/typebot.js'
import type { Store } from '../storage/store.js'

/**
 * Parsed typebot versions, shared by every session that runs them. Versions are immutable, so an
 * entry never goes stale; the bound keeps memory flat however many versions exist.
 */
export type CachedVersion = { snapshot: TypebotSnapshot; createdAt: string }

export class VersionCache {
  private readonly entries = new Map<string, CachedVersion>()

  constructor(
    private readonly store: Store,
    private readonly maxEntries = 500,
  ) {}

  async load(versionId: string): Promise<TypebotSnapshot | undefined> {
    return (await this.loadVersion(versionId))?.snapshot
  }

  /** The parsed snapshot and when the version was stored (a published version's `publishedAt`). */
  async loadVersion(versionId: string): Promise<CachedVersion | undefined> {
    const cached = this.entries.get(versionId)
    if (cached) {
      // Map order is insertion order: re-inserting marks the entry as recently used.
      this.entries.delete(versionId)
      this.entries.set(versionId, cached)
      return cached
    }
    const version = await this.store.findVersion(versionId)
    if (!version) return undefined
    const entry = { snapshot: toStoredSnapshot(version.content), createdAt: version.createdAt }
    this.remember(versionId, entry)
    return entry
  }

  /** Loads every version a session's queue points at. */
  async loadAll(versionIds: Iterable<string>): Promise<Map<string, TypebotSnapshot>> {
    const loaded = new Map<string, TypebotSnapshot>()
    for (const versionId of new Set(versionIds)) {
      const snapshot = await this.load(versionId)
      if (!snapshot) throw new AppError('INTERNAL', `Typebot version ${versionId} is missing`)
      loaded.set(versionId, snapshot)
    }
    return loaded
  }

  private remember(versionId: string, entry: CachedVersion) {
    this.entries.set(versionId, entry)
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value
      if (oldest !== undefined) this.entries.delete(oldest)
    }
  }
}

/** A stored version was validated when it was published; parsing here only rebuilds the types. */
export function toStoredSnapshot(content: Record<string, unknown>): TypebotSnapshot {
  const parsed = parseTypebot(content)
  if (!parsed.success) throw new AppError('INTERNAL', 'A stored typebot version no longer parses')
  return toSnapshot(parsed.typebot)
}
