import { Readable } from 'node:stream'
import { isRecord } from '../json-record.js'
import type { FileStorage } from './file-storage.js'

export type S3Settings = { endpoint: string; bucket: string; accessKey: string; secretKey: string; region: string }

/** How long a browser's link to a file stays valid after botflow redirected it there. */
const readUrlSeconds = 300

/**
 * Files in an S3-compatible bucket. Browsers upload straight to the bucket with a presigned POST
 * whose policy pins the key, the type and the size range; botflow redirects reads to
 * short-lived presigned GETs. The AWS SDK is loaded on first use (it is large and only needed
 * when S3 is configured).
 */
export function createS3FileStorage(settings: S3Settings): FileStorage {
  let sdk: Promise<S3Sdk> | undefined
  const load = () => {
    sdk ??= loadS3Sdk(settings)
    return sdk
  }

  return {
    kind: 's3',
    async createUploadTarget(request) {
      const { client, createPresignedPost } = await load()
      const expiresInSeconds = Math.max(1, Math.round((request.expiresAt.getTime() - Date.now()) / 1000))
      const { url, fields } = await createPresignedPost(client, {
        Bucket: settings.bucket,
        Key: request.key,
        Fields: { 'Content-Type': request.contentType },
        Conditions: [
          ['eq', '$Content-Type', request.contentType],
          ['content-length-range', 0, request.maxBytes],
        ],
        Expires: expiresInSeconds,
      })
      return { presignedUrl: url, formData: fields }
    },
    async write(key, bytes, contentType) {
      const { client, commands } = await load()
      await client.send(new commands.PutObjectCommand({ Bucket: settings.bucket, Key: key, Body: bytes, ContentType: contentType }))
    },
    async openRead(key) {
      const { client, commands } = await load()
      try {
        const object = await client.send(new commands.GetObjectCommand({ Bucket: settings.bucket, Key: key }))
        if (!(object.Body instanceof Readable)) return undefined
        return { body: object.Body, ...(object.ContentLength === undefined ? {} : { size: object.ContentLength }) }
      } catch (error) {
        if (isNotFound(error)) return undefined
        throw error
      }
    },
    async readUrl(key, response) {
      const { client, commands, getSignedUrl } = await load()
      const command = new commands.GetObjectCommand({
        Bucket: settings.bucket,
        Key: key,
        ResponseContentType: response.contentType,
        ResponseContentDisposition: response.contentDisposition,
      })
      return getSignedUrl(client, command, { expiresIn: readUrlSeconds })
    },
    async exists(key) {
      const { client, commands } = await load()
      try {
        await client.send(new commands.HeadObjectCommand({ Bucket: settings.bucket, Key: key }))
        return true
      } catch (error) {
        if (isNotFound(error)) return false
        throw error
      }
    },
    async delete(keys) {
      const { client, commands } = await load()
      // One request per key: DeleteObjects needs a Content-MD5 some S3-compatible servers reject.
      await Promise.all(keys.map((key) => client.send(new commands.DeleteObjectCommand({ Bucket: settings.bucket, Key: key }))))
    },
  }
}

type S3Sdk = Awaited<ReturnType<typeof loadS3Sdk>>

async function loadS3Sdk(settings: S3Settings) {
  const [commands, presignedPost, presigner] = await Promise.all([
    import('@aws-sdk/client-s3'),
    import('@aws-sdk/s3-presigned-post'),
    import('@aws-sdk/s3-request-presigner'),
  ])
  const client = new commands.S3Client({
    endpoint: settings.endpoint,
    region: settings.region,
    // Path-style URLs work with AWS and with every S3-compatible server (MinIO, R2, ...).
    forcePathStyle: true,
    credentials: { accessKeyId: settings.accessKey, secretAccessKey: settings.secretKey },
  })
  return { client, commands, createPresignedPost: presignedPost.createPresignedPost, getSignedUrl: presigner.getSignedUrl }
}

function isNotFound(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  const metadata: unknown = '$metadata' in error ? error.$metadata : undefined
  return error.name === 'NoSuchKey' || error.name === 'NotFound' || (isRecord(metadata) && metadata.httpStatusCode === 404)
}
