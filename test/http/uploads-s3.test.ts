import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiClient } from '../helpers/api-client.js'
import { createChatClient, startConversation } from '../helpers/chat-conversation.js'
import { importAndPublish } from '../helpers/chat-fixtures.js'
import { type FakeS3, startFakeS3 } from '../helpers/fake-s3-server.js'
import { type FakeSmtp, startFakeSmtp } from '../helpers/fake-smtp-server.js'
import { buildTypebot, text } from '../helpers/flow-builder.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { createTestUser, type TestUser } from '../helpers/users.js'

let s3: FakeS3
let smtp: FakeSmtp
let server: TestServer
let owner: TestUser
let typebotId: string

beforeAll(async () => {
  s3 = await startFakeS3()
  smtp = await startFakeSmtp()
  server = await startTestServer({
    ...s3.env,
    ...smtp.env,
  })
  owner = await createTestUser(server)
  const document = buildTypebot({
    groups: [
      {
        id: 'g1',
        title: 'Ask',
        blocks: [{ id: 'file1', type: 'file input', options: { variableId: 'vFiles', sizeLimit: 2, visibility: 'Private' } }],
        next: 'g2',
      },
      {
        id: 'g2',
        title: 'Thanks',
        blocks: [
          {
            id: 'mail',
            type: 'Email',
            options: {
              recipients: ['office@example.com'],
              subject: 'New scan',
              isCustomBody: true,
              body: 'Attached',
              attachmentsVariableId: 'vFiles',
            },
          },
          text('t2', 'Thanks'),
        ],
      },
    ],
    variables: [{ id: 'vFiles', name: 'Files' }],
  })
  ;[typebotId = ''] = await importAndPublish(owner, [{ fixture: document, publicId: 's3-upload' }])
})
afterAll(async () => {
  await server?.close()
  await s3?.close()
  await smtp?.close()
})

describe('uploads to an S3-compatible bucket', () => {
  it('hands out a presigned POST that pins the key, the type and the size, and serves the file through a redirect', async () => {
    const { sessionId, reply, start } = await startConversation(createChatClient(createApiClient(server.url)), 's3-upload')
    const generated = await createApiClient(server.url)('POST', '/v3/generate-upload-url', {
      body: { sessionId, blockId: 'file1', fileName: 'scan.pdf', fileType: 'application/pdf', fileSize: 8 },
    })
    expect(generated.status, JSON.stringify(generated.body)).toBe(200)
    const { presignedUrl, formData, fileUrl } = generated.body
    expect(presignedUrl).toBe(`${s3.endpoint}/${s3.bucket}`)
    expect(formData).toMatchObject({ key: expect.stringMatching(/^files\/[a-z0-9]{2}\/c[a-z0-9]{24}$/), 'Content-Type': 'application/pdf' })
    const policy = JSON.parse(Buffer.from(formData.Policy, 'base64').toString('utf8'))
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        ['eq', '$Content-Type', 'application/pdf'],
        ['content-length-range', 0, 2 * 1024 * 1024],
        { key: formData.key },
        { bucket: s3.bucket },
      ]),
    )
    expect(Date.parse(policy.expiration) - Date.now()).toBeLessThanOrEqual(10 * 60_000)

    const form = new FormData()
    for (const [key, value] of Object.entries<string>(formData)) form.append(key, value)
    form.append('file', new Blob(['%PDF-1.7'], { type: 'application/pdf' }), 'scan.pdf')
    const uploaded = await fetch(presignedUrl, { method: 'POST', body: form })
    expect(uploaded.ok).toBe(true)
    // The object is in the bucket: this one-file input takes no second file.
    const second = await createApiClient(server.url)('POST', '/v3/generate-upload-url', {
      body: { sessionId, blockId: 'file1', fileName: 'again.pdf', fileType: 'application/pdf' },
    })
    expect(second.body).toEqual({ message: 'Only one file can be uploaded for this input', code: 'BAD_REQUEST' })
    const before = smtp.received.length
    await reply(fileUrl)
    // The e-mail attaches the file, read from the bucket.
    expect(smtp.received[before]?.mail.attachments.map((file) => [file.filename, file.content.toString()])).toEqual([
      ['scan.pdf', '%PDF-1.7'],
    ])

    expect((await fetch(fileUrl, { redirect: 'manual' })).status).toBe(401)
    const redirected = await fetch(fileUrl, { redirect: 'manual', headers: { authorization: `Bearer ${owner.token}` } })
    expect(redirected.status).toBe(307)
    const location = redirected.headers.get('location') ?? ''
    expect(location.startsWith(`${s3.endpoint}/${s3.bucket}/${formData.key}?`)).toBe(true)
    const file = await fetch(location)
    expect(await file.text()).toBe('%PDF-1.7')
    expect(file.headers.get('content-disposition')).toBe('inline; filename="scan.pdf"')

    const deleted = await owner.call('DELETE', `/v1/typebots/${typebotId}/results?resultIds=${start.body.resultId}`)
    expect(deleted.body.deletedCount).toBe(1)
    expect((await fetch(location)).status).toBe(404)
  })
})
