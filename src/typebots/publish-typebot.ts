import { AppError } from '../errors.js'
import { newId } from '../ids.js'
import { parseTypebot } from '../schemas/typebot.js'
import type { Store, TypebotRecord, TypebotVersionRecord } from '../storage/store.js'
import { createWebhookEvent } from '../webhooks/webhook-events.js'

/** What a published version holds: what the engine runs, never the builder's fields. */
const publishedFields = ['version', 'groups', 'events', 'edges', 'variables', 'settings', 'theme'] as const

/**
 * Stores the current draft as a new immutable published version and points the typebot at it.
 * The draft is validated again: a draft stored under older block schemas must not go live broken.
 */
export async function publishTypebot(store: Store, typebot: TypebotRecord): Promise<TypebotVersionRecord> {
  const content: Record<string, unknown> = { id: typebot.id }
  for (const field of publishedFields) content[field] = typebot.draft[field]
  const parsed = parseTypebot(content)
  if (!parsed.success)
    throw new AppError(
      'INVALID_REQUEST',
      'The draft is not a valid typebot and cannot be published',
      parsed.issues.map((issue) => ({ message: issue.message, path: ['typebot', ...issue.path] })),
    )
  const versionId = newId()
  const event = createWebhookEvent(
    {
      type: 'typebot.published',
      workspaceId: typebot.workspaceId,
      typebotId: typebot.id,
      data: { typebotId: typebot.id, versionId, publicId: typebot.publicId },
    },
    { now: Date.now, newId },
  )
  return store.publishTypebot(typebot.id, { id: versionId, content }, { events: [event] })
}
