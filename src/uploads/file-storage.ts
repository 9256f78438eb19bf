import type { Readable } from 'node:stream'

/** What a client needs to send one file: Typebot's `presignedUrl` and `formData`. */
export type UploadTarget = { presignedUrl: string; formData: Record<string, string> }

export type UploadTargetRequest = {
  key: string
  contentType: string
  maxBytes: number
  expiresAt: Date
  /** botflow's own upload URL for this upload (local storage receives the file there). */
  localUploadUrl: string
}

/**
 * Where uploaded files live: a folder on this machine, or an S3-compatible bucket. Keys are
 * made by botflow from ids, never from what a client sent.
 */
export type FileStorage = {
  kind: 'local' | 's3'
  createUploadTarget(request: UploadTargetRequest): Promise<UploadTarget>
  /**
   * Local storage only: writes the bytes of an upload botflow receives itself. Rejects with
   * `FileTooLargeError` past `maxBytes`, keeping nothing.
   */
  receive?(key: string, body: Readable, maxBytes: number): Promise<{ size: number }>
  /** Stores a file botflow made itself (speech of an AI block). */
  write(key: string, bytes: Uint8Array, contentType: string): Promise<void>
  /** The file's bytes, or undefined when it does not exist. */
  openRead(key: string): Promise<{ body: Readable; size?: number } | undefined>
  /** S3 only: a short-lived URL a browser is redirected to. */
  readUrl?(key: string, response: { contentType: string; contentDisposition: string }): Promise<string>
  exists(key: string): Promise<boolean>
  /** Deletes what exists among `keys`; missing files are not an error. */
  delete(keys: readonly string[]): Promise<void>
}

export class FileTooLargeError extends Error {
  override readonly name = 'FileTooLargeError'
}

/** The storage key of an upload: its id, in a folder named after its last two characters. */
export function storageKeyOf(uploadId: string): string {
  return `files/${uploadId.slice(-2)}/${uploadId}`
}
