import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import S3rver from 's3rver'

export type FakeS3 = { endpoint: string; bucket: string; env: Record<string, string>; close(): Promise<void> }

/**
 * An S3-compatible server on 127.0.0.1 (s3rver, objects in a temp folder). It speaks S3's wire
 * format for presigned POST, presigned GET, HEAD and DELETE, but checks neither signatures nor
 * POST policy conditions: those are S3's own job, and unit tests check the policy botflow writes.
 */
export async function startFakeS3(bucket = 'botflow-uploads'): Promise<FakeS3> {
  const directory = mkdtempSync(join(tmpdir(), 'botflow-s3-'))
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] })
  const { port } = await server.run()
  const endpoint = `http://127.0.0.1:${port}`
  return {
    endpoint,
    bucket,
    env: { S3_ENDPOINT: endpoint, S3_BUCKET: bucket, S3_ACCESS_KEY: 'S3RVER', S3_SECRET_KEY: 'S3RVER' },
    async close() {
      await server.close()
      rmSync(directory, { recursive: true, force: true })
    },
  }
}
