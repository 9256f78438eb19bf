import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises'
import { dirname, join, resolve, sep } from 'node:path'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { type FileStorage, FileTooLargeError } from './file-storage.js'

/**
 * Files in a folder of this machine (`UPLOADS_DIR`). botflow receives uploads itself at its own
 * single-use URL; the folder is created on the first upload.
 */
export function createLocalFileStorage(directory: string): FileStorage {
  const root = resolve(directory)

  /** Every path is checked to stay inside the folder, whatever a key holds. */
  function pathOf(key: string): string {
    const path = resolve(root, key)
    if (!path.startsWith(root + sep)) throw new Error(`Storage key ${JSON.stringify(key)} leaves the uploads folder`)
    return path
  }

  return {
    kind: 'local',
    async createUploadTarget(request) {
      // A non-empty form makes every version of Typebot's embed send the same multipart POST.
      return { presignedUrl: request.localUploadUrl, formData: { 'Content-Type': request.contentType } }
    },
    async receive(key, body, maxBytes) {
      const path = pathOf(key)
      const partPath = pathOf(join('tmp', `${key.replaceAll('/', '_')}.part`))
      await mkdir(dirname(partPath), { recursive: true })
      await mkdir(dirname(path), { recursive: true })
      let size = 0
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          size += chunk.length
          if (size > maxBytes) callback(new FileTooLargeError(`File size exceeds the limit of ${maxBytes} bytes`))
          else callback(null, chunk)
        },
      })
      try {
        await pipeline(body, counter, createWriteStream(partPath, { flags: 'wx' }))
        await rename(partPath, path)
      } catch (error) {
        await rm(partPath, { force: true })
        throw error
      }
      return { size }
    },
    async write(key, bytes) {
      const path = pathOf(key)
      await mkdir(dirname(path), { recursive: true })
      await writeFile(path, bytes, { flag: 'wx' })
    },
    async openRead(key) {
      const path = pathOf(key)
      const found = await stat(path).catch(() => undefined)
      if (!found?.isFile()) return undefined
      return { body: createReadStream(path), size: found.size }
    },
    async exists(key) {
      return (await stat(pathOf(key)).catch(() => undefined))?.isFile() === true
    },
    async delete(keys) {
      await Promise.all(keys.map((key) => rm(pathOf(key), { force: true })))
    },
  }
}
