import { newId } from '../ids.js'
import type { TypebotFields } from '../schemas/management-api.js'
import type { Store, TypebotRecord } from '../storage/store.js'
import { parseTypebotInput } from './parse-typebot-input.js'
import { toDraft } from './to-typebot-document.js'

export type SavedTypebot = { typebot: TypebotRecord; warnings: string[] }

/** A new typebot in the workspace: an empty 6.1 flow (one start event) with the given fields on top. */
export async function createTypebot(store: Store, input: { workspaceId: string; typebot: TypebotFields }): Promise<SavedTypebot> {
  const id = newId()
  const empty = {
    version: '6.1',
    name: 'My typebot',
    events: [{ id: newId(), type: 'start', graphCoordinates: { x: 0, y: 0 } }],
    groups: [],
    edges: [],
    variables: [],
    theme: {},
    settings: {},
  }
  const { typebot, stored, warnings } = parseTypebotInput({ ...empty, ...input.typebot, id })
  const record = await store.createTypebot({
    id,
    workspaceId: input.workspaceId,
    publicId: typebot.publicId ?? null,
    name: typebot.name,
    draft: toDraft(stored),
    isArchived: false,
    isClosed: typebot.isClosed ?? false,
  })
  return { typebot: record, warnings }
}
