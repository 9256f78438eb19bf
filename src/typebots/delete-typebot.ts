import type { Store } from '../storage/store.js'

/** Deletes the typebot with its results (answers, logs included) and its sessions. */
export async function deleteTypebot(store: Store, typebotId: string): Promise<boolean> {
  await store.deleteResults(typebotId)
  return store.deleteTypebot(typebotId)
}
