import type { Store } from '../storage/store.js'
import { deleteFilesOfTypebot, deleteResultsWithFiles } from '../uploads/delete-files.js'
import type { FileStorage } from '../uploads/file-storage.js'

/** Deletes the typebot with its results (answers, logs included), its sessions and its uploaded files. */
export async function deleteTypebot(deps: { store: Store; files: FileStorage }, typebotId: string): Promise<boolean> {
  await deleteResultsWithFiles(deps, typebotId)
  await deleteFilesOfTypebot(deps, typebotId)
  return deps.store.deleteTypebot(typebotId)
}
