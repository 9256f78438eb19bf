import { AppError } from '../errors.js'
import type { CollaboratorRecord, CollaboratorType, Store } from '../storage/store.js'
import { findOrCreateUser } from './find-or-create-user.js'

/** Shares one typebot with the user with this email (created if missing); replaces a previous type. */
export async function addCollaborator(
  store: Store,
  input: { typebotId: string; email: string; type: CollaboratorType },
): Promise<CollaboratorRecord> {
  const user = await findOrCreateUser(store, input.email)
  await store.upsertCollaborator(input.typebotId, user.id, input.type)
  const collaborator = (await store.listCollaborators(input.typebotId)).find((candidate) => candidate.userId === user.id)
  if (!collaborator) throw new AppError('NOT_FOUND', 'Typebot not found')
  return collaborator
}
