import { findTypebotAccess } from '../access.js'
import { isRecord } from '../json-record.js'
import type { Store, TypebotRecord, UserRecord } from '../storage/store.js'

/**
 * The typebots a typebot's draft links to (Typebot link blocks, except those whose
 * mergeResults is false, as Typebot lists them for its builder), newest first. Links to a missing, archived or
 * unreadable typebot are left out, so the list tells nobody which other ids exist.
 */
export async function listLinkedTypebots(store: Store, user: Pick<UserRecord, 'id'>, typebot: TypebotRecord) {
  const linked = await Promise.all(linkedTypebotIdsOf(typebot.draft).map((id) => store.findTypebot(id)))
  const readable: TypebotRecord[] = []
  for (const candidate of linked) {
    if (!candidate || candidate.isArchived) continue
    if ((await findTypebotAccess(store, user, candidate)) !== 'none') readable.push(candidate)
  }
  return readable
    .sort((left, right) => right.createdAt.localeCompare(left.createdAt))
    .map((candidate) => ({
      id: candidate.id,
      name: candidate.name,
      version: candidate.draft.version,
      groups: candidate.draft.groups,
      variables: candidate.draft.variables,
    }))
}

function linkedTypebotIdsOf(draft: Record<string, unknown>): string[] {
  const ids = new Set<string>()
  for (const group of Array.isArray(draft.groups) ? draft.groups : []) {
    for (const block of isRecord(group) && Array.isArray(group.blocks) ? group.blocks : []) {
      if (!isRecord(block) || block.type !== 'Typebot link' || !isRecord(block.options)) continue
      const { typebotId, mergeResults } = block.options
      if (typeof typebotId === 'string' && typebotId !== '' && mergeResults !== false) ids.add(typebotId)
    }
  }
  return [...ids]
}
