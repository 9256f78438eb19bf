import type { Store } from '../storage/store.js'
import type { FileStorage } from './file-storage.js'

/**
 * Deletes results with the files uploaded in them: records first (a file left behind by a storage
 * failure is unreachable, never a record pointing at nothing), then the bytes.
 */
export async function deleteResultsWithFiles(
  deps: { store: Store; files: FileStorage },
  typebotId: string,
  resultIds?: readonly string[],
): Promise<number> {
  const keys = await deps.store.uploads.deleteUploadsOfResults(typebotId, resultIds)
  const deletedCount = await deps.store.deleteResults(typebotId, resultIds ? [...resultIds] : undefined)
  await deps.files.delete(keys)
  return deletedCount
}

/** Every file uploaded to a typebot, preview uploads included. */
export async function deleteFilesOfTypebot(deps: { store: Store; files: FileStorage }, typebotId: string): Promise<void> {
  await deps.files.delete(await deps.store.uploads.deleteUploadsOfTypebot(typebotId))
}
