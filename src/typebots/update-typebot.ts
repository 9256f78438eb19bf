import { AppError } from '../errors.js'
import type { TypebotPatchFields } from '../schemas/management-api.js'
import type { Store, TypebotPatch, TypebotRecord } from '../storage/store.js'
import type { SavedTypebot } from './create-typebot.js'
import { parseTypebotInput } from './parse-typebot-input.js'
import { toDraft } from './to-typebot-document.js'

/**
 * Applies a partial typebot to the draft: top-level fields replace the stored ones, the result is
 * validated as a whole, and nothing is written when it is refused. A publicId owned by another
 * typebot is a CONFLICT (the store checks it in the same write).
 */
export async function updateTypebot(
  store: Store,
  current: TypebotRecord,
  patch: TypebotPatchFields,
  options: { overwrite?: boolean } = {},
): Promise<SavedTypebot> {
  const { updatedAt: clientUpdatedAt, isArchived, ...fields } = patch
  if (clientUpdatedAt !== undefined && !options.overwrite && Date.parse(current.updatedAt) > Date.parse(clientUpdatedAt))
    throw new AppError('CONFLICT', 'Found newer version of the typebot in database')
  const merged = { ...current.draft, name: current.name, isClosed: current.isClosed, publicId: current.publicId, ...fields, id: current.id }
  const { typebot, stored, warnings } = parseTypebotInput(merged)
  const write: TypebotPatch = { name: typebot.name, draft: toDraft(stored), isClosed: typebot.isClosed ?? false }
  if (fields.publicId !== undefined) write.publicId = fields.publicId
  if (isArchived !== undefined) write.isArchived = isArchived
  const updated = await store.updateTypebot(current.id, write)
  if (!updated) throw new AppError('NOT_FOUND', 'Typebot not found')
  return { typebot: updated, warnings }
}
