import type { Readable } from 'node:stream'
import type { Store } from '../storage/store.js'
import type { FileStorage } from './file-storage.js'
import { parseFileUrl } from './file-urls.js'

export type EmailAttachment = { filename: string; content: Readable; contentType: string }

/**
 * The files of an e-mail, read from storage: only botflow's own file URLs of uploads made to the
 * same typebot (and, for private ones, in the same result). Nothing is fetched over HTTP.
 */
export async function loadAttachments(
  urls: readonly string[],
  origin: { typebotId: string; resultId?: string },
  deps: { store: Store; files: FileStorage },
): Promise<{ ok: true; attachments: EmailAttachment[] } | { ok: false; error: string }> {
  const attachments: EmailAttachment[] = []
  for (const url of urls) {
    const parsed = parseFileUrl(url)
    const upload = parsed && (await deps.store.uploads.findUpload(parsed.uploadId))
    const isAllowed =
      upload &&
      upload.fileName === parsed.fileName &&
      upload.typebotId === origin.typebotId &&
      (!upload.isPrivate || upload.resultId === origin.resultId)
    const file = isAllowed ? await deps.files.openRead(upload.storageKey) : undefined
    if (!upload || !file) {
      for (const attachment of attachments) attachment.content.destroy()
      return { ok: false, error: `Invalid email attachment URL: ${url}` }
    }
    attachments.push({ filename: upload.fileName, content: file.body, contentType: upload.contentType })
  }
  return { ok: true, attachments }
}
