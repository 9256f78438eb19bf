import { newId } from '../ids.js'
import type { Store } from '../storage/store.js'
import type { SavedTypebot } from './create-typebot.js'
import { parseTypebotInput } from './parse-typebot-input.js'
import { toDraft } from './to-typebot-document.js'

/** Fields of an export that point at the workspace it came from: they do not travel. */
const foreignFields = { folderId: null, customDomain: null, whatsAppCredentialsId: null, spaceId: null }

/**
 * Stores a Typebot export (any version; v3-v5 are migrated to 6.1) as a new typebot of the
 * workspace. It gets a new id; its publicId is `publicId` when given, never the file's.
 */
export async function importTypebot(
  store: Store,
  input: { workspaceId: string; typebot: Record<string, unknown>; publicId?: string },
): Promise<SavedTypebot> {
  const id = newId()
  const { typebot, stored, warnings } = parseTypebotInput({ ...input.typebot, ...foreignFields, id, publicId: input.publicId ?? null })
  const record = await store.createTypebot({
    id,
    workspaceId: input.workspaceId,
    publicId: input.publicId ?? null,
    name: typebot.name,
    draft: toDraft(stored),
    isArchived: false,
    isClosed: typebot.isClosed ?? false,
  })
  return { typebot: record, warnings }
}
