import { assertTypebotAccess } from '../access.js'
import { AppError } from '../errors.js'
import type { Store, TypebotRecord, UserRecord } from '../storage/store.js'

/** Loads a typebot for the caller: NOT_FOUND when it does not exist, FORBIDDEN without the access. */
export async function requireTypebotAccess(
  store: Store,
  user: UserRecord,
  typebotId: string,
  needed: 'read' | 'write',
): Promise<TypebotRecord> {
  const typebot = await store.findTypebot(typebotId)
  if (!typebot) throw new AppError('NOT_FOUND', 'Typebot not found')
  await assertTypebotAccess(store, user, typebot, needed)
  return typebot
}
