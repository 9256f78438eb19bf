import { AppError } from '../errors.js'
import { newId } from '../ids.js'
import { recordOf } from '../json-record.js'
import { parseTypebot, type StoredTypebot, type TypebotDocument, toStoredTypebot } from '../schemas/typebot.js'
import type { Store } from '../storage/store.js'
import type { SavedTypebot } from './create-typebot.js'
import { parseTypebotInput } from './parse-typebot-input.js'
import { toDraft } from './to-typebot-document.js'

/** Fields of an export that point at the workspace it came from: they do not travel. */
const foreignFields = { folderId: null, customDomain: null, whatsAppCredentialsId: null, spaceId: null }

/**
 * Stores a Typebot export (any version; v3-v5 are migrated to 6.1) as a new typebot of the
 * workspace. It gets a new id; its publicId is `publicId` when given, never the file's. A Typebot
 * link to the export's own id follows it to the new id.
 */
export async function importTypebot(
  store: Store,
  input: { workspaceId: string; typebot: Record<string, unknown>; publicId?: string },
): Promise<SavedTypebot> {
  const id = newId()
  const { typebot, stored, warnings } = parseTypebotInput({ ...input.typebot, ...foreignFields, id, publicId: input.publicId ?? null })
  const sourceId = typeof input.typebot.id === 'string' ? input.typebot.id : undefined
  const relinked = sourceId ? relink(stored, new Map([[sourceId, id]])).typebot : stored
  return { typebot: await save(store, input.workspaceId, id, typebot, relinked, input.publicId ?? null), warnings }
}

export type ImportedTypebot = SavedTypebot & { sourceId?: string }

/**
 * Imports typebots that link to each other (a workspace's exports): every one is validated
 * before any is stored, then each `Typebot link` to the id one of them had in its export points
 * at the new id of that one. A link to a typebot outside the list is kept, with a warning.
 */
export async function importTypebots(
  store: Store,
  input: { workspaceId: string; typebots: Record<string, unknown>[] },
): Promise<ImportedTypebot[]> {
  const parsed = input.typebots.map((source, index) => {
    const id = newId()
    const result = parseTypebot({ ...source, ...foreignFields, id, publicId: null })
    if (!result.success) {
      throw new AppError(
        'INVALID_REQUEST',
        'Invalid typebot',
        result.issues.map((issue) => ({ message: issue.message, path: ['typebots', index, ...issue.path] })),
      )
    }
    const sourceId = typeof source.id === 'string' ? source.id : undefined
    return { id, sourceId, typebot: result.typebot, warnings: result.warnings }
  })
  const newIds = new Map(parsed.flatMap(({ id, sourceId }) => (sourceId ? [[sourceId, id] as const] : [])))
  const imported: ImportedTypebot[] = []
  for (const { id, sourceId, typebot, warnings } of parsed) {
    const { typebot: relinked, unknownTargets } = relink(toStoredTypebot(typebot), newIds)
    const linkWarnings = unknownTargets.map((target) => `A Typebot link points at ${target}, which is not part of this import: kept as is`)
    const record = await save(store, input.workspaceId, id, typebot, relinked, null)
    imported.push({ typebot: record, warnings: [...warnings, ...linkWarnings], ...(sourceId ? { sourceId } : {}) })
  }
  return imported
}

async function save(
  store: Store,
  workspaceId: string,
  id: string,
  typebot: TypebotDocument,
  stored: StoredTypebot,
  publicId: string | null,
) {
  return store.createTypebot({
    id,
    workspaceId,
    publicId,
    name: typebot.name,
    draft: toDraft(stored),
    isArchived: false,
    isClosed: typebot.isClosed ?? false,
  })
}

/** Points Typebot links at new ids; `current` and links to other typebots stay. */
function relink(typebot: StoredTypebot, newIds: ReadonlyMap<string, string>): { typebot: StoredTypebot; unknownTargets: string[] } {
  const unknownTargets = new Set<string>()
  const groups = typebot.groups.map((group) => ({
    ...group,
    blocks: group.blocks.map((block) => {
      if (block.type !== 'Typebot link') return block
      const options = recordOf('options' in block ? block.options : undefined)
      const target = options.typebotId
      if (typeof target !== 'string' || target === 'current' || target === '') return block
      const newId = newIds.get(target)
      if (!newId) {
        if (target !== typebot.id) unknownTargets.add(target)
        return block
      }
      return { ...block, options: { ...options, typebotId: newId } }
    }),
  }))
  return { typebot: { ...typebot, groups }, unknownTargets: [...unknownTargets] }
}
