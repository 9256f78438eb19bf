import type { Config } from '../config.js'
import type { FileStorage } from './file-storage.js'
import { createLocalFileStorage } from './local-file-storage.js'
import { createS3FileStorage } from './s3-file-storage.js'

/** An S3-compatible bucket when one is configured, else the local uploads folder. */
export function createFileStorage(config: Config['uploads']): FileStorage {
  return config.s3 ? createS3FileStorage(config.s3) : createLocalFileStorage(config.directory)
}
