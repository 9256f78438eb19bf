import { newId } from '../ids.js'
import type { Store } from '../storage/store.js'
import { importTypebot } from '../typebots/import-typebot.js'
import { publishTypebot } from '../typebots/publish-typebot.js'
import { demoPublicId, demoTypebot } from './demo-typebot.js'

/** The system user owning the demo; its existence marks the demo as created once. */
export const demoOwnerEmail = 'demo@botflow.local'

export type DemoOutcome = 'created' | 'already-created' | 'public-id-taken'

/**
 * Publishes the demo typebot at `/demo` the first time a server starts on a database without it:
 * a system user and workspace own it. Never twice: once created, deleting the demo keeps it
 * deleted; a typebot of a user that already has the public id `demo` is left alone.
 */
export async function ensureDemoTypebot(store: Store): Promise<DemoOutcome> {
  if (await store.findUserByEmail(demoOwnerEmail)) return 'already-created'
  if (await store.findTypebotByPublicId(demoPublicId)) return 'public-id-taken'
  let ownerId: string
  try {
    ownerId = (await store.createUser({ id: newId(), email: demoOwnerEmail, name: 'botflow demo' })).id
  } catch (error) {
    // Another process starting on the same database got there first.
    if (await store.findUserByEmail(demoOwnerEmail)) return 'already-created'
    throw error
  }
  const workspace = await store.createWorkspace({ id: newId(), name: 'botflow demo' }, { userId: ownerId })
  const { typebot } = await importTypebot(store, { workspaceId: workspace.id, typebot: demoTypebot, publicId: demoPublicId })
  await publishTypebot(store, typebot)
  return 'created'
}
