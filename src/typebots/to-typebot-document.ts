import { type TypebotDocumentResponse, typebotDocumentSchema } from '../schemas/management-api.js'
import type { StoredTypebot } from '../schemas/typebot.js'
import type { TypebotRecord } from '../storage/store.js'

/** Fields kept in their own columns, so they never hide in the draft as well. */
const columnFields = ['id', 'publicId', 'workspaceId', 'name', 'isArchived', 'isClosed', 'createdAt', 'updatedAt'] as const

/** Builder fields clients expect on every typebot; botflow has no use for them but keeps them. */
const nullableBuilderFields = {
  icon: null,
  folderId: null,
  customDomain: null,
  selectedThemeTemplateId: null,
  resultsTablePreferences: null,
  whatsAppCredentialsId: null,
  riskLevel: null,
  spaceId: null,
}

/**
 * The typebot as the API returns it: the draft plus the columns, in Typebot's Builder shape.
 * Parsing only types the stored JSON (it was validated when saved) and keeps every field.
 */
export function toTypebotDocument(record: TypebotRecord): TypebotDocumentResponse {
  return typebotDocumentSchema.parse({
    ...nullableBuilderFields,
    ...record.draft,
    id: record.id,
    name: record.name,
    publicId: record.publicId,
    workspaceId: record.workspaceId,
    isArchived: record.isArchived,
    isClosed: record.isClosed,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  })
}

/** The draft to store: the validated document without the fields that have columns. */
export function toDraft(typebot: StoredTypebot): Record<string, unknown> {
  const draft: Record<string, unknown> = { ...typebot }
  for (const field of columnFields) delete draft[field]
  return draft
}
