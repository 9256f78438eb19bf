import { readdirSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { join, relative } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiClient } from '../helpers/api-client.js'
import { createChatClient, startConversation } from '../helpers/chat-conversation.js'
import { expectChatApiShape, importAndPublish } from '../helpers/chat-fixtures.js'
import { buildTypebot, type TestBlock, text } from '../helpers/flow-builder.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { createTestUser, type TestUser } from '../helpers/users.js'

let clock = Date.now()
let server: TestServer
let owner: TestUser
let typebotIds: string[]
const chat = () => createChatClient(createApiClient(server.url))

const fileInput = (id: string, options: Record<string, unknown> = {}): TestBlock => ({
  id,
  type: 'file input',
  options: { variableId: 'vFiles', ...options },
})

function uploadBot(name: string, input: TestBlock) {
  return buildTypebot({
    name,
    groups: [
      { id: 'g1', title: 'Ask', blocks: [text('t1', 'Send your file'), input], next: 'g2' },
      { id: 'g2', title: 'Thanks', blocks: [text('t2', 'Got {{Files}}')] },
    ],
    variables: [{ id: 'vFiles', name: 'Files' }],
  })
}

/** A text input that takes attachments or audio clips: the answer, the files and the clip each land in a variable. */
function textInputBot(name: string, options: Record<string, unknown>) {
  return buildTypebot({
    name,
    groups: [
      { id: 'g1', title: 'Ask', blocks: [{ id: 'ask1', type: 'text input', options: { variableId: 'vFiles', ...options } }], next: 'g2' },
      { id: 'g2', title: 'Thanks', blocks: [text('t2', 'Text {{Files}} files {{Attached}} clip {{Clip}}')] },
    ],
    variables: [
      { id: 'vFiles', name: 'Files' },
      { id: 'vAttached', name: 'Attached' },
      { id: 'vClip', name: 'Clip' },
    ],
  })
}

beforeAll(async () => {
  server = await startTestServer({}, { now: () => clock })
  owner = await createTestUser(server)
  typebotIds = await importAndPublish(owner, [
    { fixture: uploadBot('single', fileInput('file1')), publicId: 'upload-single' },
    { fixture: uploadBot('multiple', fileInput('file1', { isMultipleAllowed: true })), publicId: 'upload-multiple' },
    {
      fixture: uploadBot('images', fileInput('file1', { sizeLimit: 1, allowedFileTypes: { isEnabled: true, types: ['image/*'] } })),
      publicId: 'upload-images',
    },
    { fixture: uploadBot('private', fileInput('file1', { visibility: 'Private' })), publicId: 'upload-private' },
    { fixture: uploadBot('no-file', { id: 'ask1', type: 'text input', options: { variableId: 'vFiles' } }), publicId: 'upload-none' },
    { fixture: textInputBot('attachments', { attachments: { isEnabled: true, saveVariableId: 'vAttached' } }), publicId: 'upload-text' },
    {
      fixture: textInputBot('audio', { audioClip: { isEnabled: true, saveVariableId: 'vClip', visibility: 'Private' } }),
      publicId: 'upload-clip',
    },
  ])
})
afterAll(async () => {
  await server?.close()
})

async function generate(sessionId: string, file: { fileName: string; fileType?: string; fileSize?: number }, blockId = 'file1') {
  return createApiClient(server.url)('POST', '/v3/generate-upload-url', { body: { sessionId, blockId, ...file } })
}

/** Sends a file the way `@typebot.io/js` does: multipart POST of formData then `file`, or PUT when formData is empty. */
async function send(
  target: { presignedUrl: string; formData: Record<string, string> },
  bytes: Uint8Array<ArrayBuffer> | string,
  type: string,
  method?: 'PUT',
) {
  if (method === 'PUT' || Object.keys(target.formData).length === 0) {
    return fetch(target.presignedUrl, { method: 'PUT', body: bytes, headers: { 'content-type': type } })
  }
  const form = new FormData()
  for (const [key, value] of Object.entries(target.formData)) form.append(key, value)
  form.append('file', new Blob([bytes], { type }), 'ignored-name.bin')
  return fetch(target.presignedUrl, { method: 'POST', body: form })
}

/** The text of a rich-text bubble, its leaves joined. */
function bubbleText(message: any): string {
  return message.content.richText.flatMap((block: any) => block.children.map((leaf: any) => leaf.text)).join('')
}

function storedFiles(): string[] {
  const root = server.config.uploads.directory
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? walk(join(dir, entry.name)) : [relative(root, join(dir, entry.name))],
    )
  try {
    return walk(root).filter((path) => !path.startsWith('tmp'))
  } catch {
    return []
  }
}

describe('POST /api/v3/generate-upload-url and the upload URL (local storage)', () => {
  it("answers Typebot's shape, takes the file, and the answer is the file URL", async () => {
    const { sessionId, reply, start } = await startConversation(chat(), 'upload-single')
    expect(start.body.input.type).toBe('file input')
    const generated = await generate(sessionId, { fileName: 'My report.pdf', fileType: 'application/pdf', fileSize: 5 })
    expect(generated.status, JSON.stringify(generated.body)).toBe(200)
    expectChatApiShape('/v3/generate-upload-url', generated)
    expect(generated.body).toEqual({
      presignedUrl: expect.stringMatching(new RegExp(`^${server.url}/api/v1/uploads/[A-Za-z0-9_-]{43}$`)),
      formData: { 'Content-Type': 'application/pdf' },
      fileUrl: expect.stringMatching(new RegExp(`^${server.url}/api/v1/files/c[a-z0-9]{24}/My-report\\.pdf$`)),
      fileType: 'application/pdf',
      maxFileSize: 10,
    })
    const uploaded = await send(generated.body, '%PDF-', 'application/pdf')
    expect(uploaded.status).toBe(204)

    const file = await fetch(generated.body.fileUrl)
    expect(file.status).toBe(200)
    expect(await file.text()).toBe('%PDF-')
    expect(file.headers.get('content-type')).toBe('application/pdf')
    expect(file.headers.get('x-content-type-options')).toBe('nosniff')
    expect(file.headers.get('content-disposition')).toBe('inline; filename="My-report.pdf"')

    const answered = await reply({ type: 'text', text: generated.body.fileUrl })
    expect(bubbleText(answered.body.messages[0])).toBe(`Got ${generated.body.fileUrl}`)
  })

  it('also takes a raw PUT (the upload form of newer Typebot clients)', async () => {
    const { sessionId } = await startConversation(chat(), 'upload-multiple')
    const generated = await generate(sessionId, { fileName: 'a.txt', fileType: 'text/plain' })
    const uploaded = await send(generated.body, 'plain bytes', 'text/plain', 'PUT')
    expect(uploaded.status).toBe(204)
    expect(await (await fetch(generated.body.fileUrl)).text()).toBe('plain bytes')
    // The bytes are the file's, whatever their type: a JSON file is not parsed as a request body.
    const json = await generate(sessionId, { fileName: 'data.json', fileType: 'application/json' })
    expect((await send(json.body, '{"not": "parsed', 'application/json', 'PUT')).status).toBe(204)
    expect(
      (await send((await generate(sessionId, { fileName: 'b.json', fileType: 'application/json' })).body, '{"a":1}', 'application/json'))
        .status,
    ).toBe(204)
    expect(await (await fetch(json.body.fileUrl)).text()).toBe('{"not": "parsed')
  })

  it('refuses a reused, an expired and an unknown upload URL', async () => {
    const { sessionId } = await startConversation(chat(), 'upload-multiple')
    const first = await generate(sessionId, { fileName: 'a.txt', fileType: 'text/plain' })
    expect((await send(first.body, 'one', 'text/plain')).status).toBe(204)
    const reused = await send(first.body, 'two', 'text/plain')
    expect(reused.status).toBe(403)
    expect(await reused.json()).toEqual({ message: 'Upload URL was already used', code: 'FORBIDDEN' })
    expect(await (await fetch(first.body.fileUrl)).text()).toBe('one')

    const second = await generate(sessionId, { fileName: 'b.txt', fileType: 'text/plain' })
    clock += 11 * 60_000
    const expired = await send(second.body, 'late', 'text/plain')
    expect(expired.status).toBe(403)
    expect(await expired.json()).toEqual({ message: 'Upload URL has expired', code: 'FORBIDDEN' })
    expect((await fetch(second.body.fileUrl)).status).toBe(404)

    const unknown = await send({ presignedUrl: `${server.url}/api/v1/uploads/nope`, formData: {} }, 'x', 'text/plain')
    expect(unknown.status).toBe(403)
  })

  it('enforces the types and the size the block allows, before and while receiving', async () => {
    const { sessionId } = await startConversation(chat(), 'upload-images')
    const wrongType = await generate(sessionId, { fileName: 'a.pdf', fileType: 'application/pdf', fileSize: 10 })
    expect(wrongType.status).toBe(400)
    expect(wrongType.body).toEqual({ message: 'File type application/pdf not allowed', code: 'BAD_REQUEST' })
    const tooLarge = await generate(sessionId, { fileName: 'a.png', fileType: 'image/png', fileSize: 2 * 1024 * 1024 })
    expect(tooLarge.status).toBe(400)
    expect(tooLarge.body).toEqual({ message: 'File size exceeds the 1MB limit', code: 'BAD_REQUEST' })

    // A client that under-declares is stopped by the bytes it sends.
    const lying = await generate(sessionId, { fileName: 'a.png', fileType: 'image/png', fileSize: 10 })
    expect(lying.status).toBe(200)
    const before = storedFiles()
    const refused = await send(lying.body, new Uint8Array(1024 * 1024 + 1), 'image/png')
    expect(refused.status).toBe(413)
    expect(await refused.json()).toEqual({ message: 'File size limit exceeded', code: 'PAYLOAD_TOO_LARGE' })
    expect(storedFiles()).toEqual(before)
    expect((await fetch(lying.body.fileUrl)).status).toBe(404)
  })

  it('survives a client that goes away mid-upload: nothing is kept and the URL is spent', async () => {
    const { sessionId } = await startConversation(chat(), 'upload-multiple')
    const generated = await generate(sessionId, { fileName: 'cut.bin', fileType: 'application/octet-stream' })
    const before = storedFiles()
    const request = httpRequest(generated.body.presignedUrl, { method: 'PUT', headers: { 'content-length': '100000' } })
    request.on('error', () => undefined)
    request.write(Buffer.alloc(1000))
    // Cut the connection once the server is receiving (the upload's record says so).
    const uploadId = generated.body.fileUrl.split('/').at(-2)
    await expect.poll(async () => (await server.store.uploads.findUpload(uploadId))?.status, { timeout: 5000 }).toBe('receiving')
    request.destroy()
    await expect.poll(async () => (await server.store.uploads.findUpload(uploadId))?.status, { timeout: 5000 }).toBe('failed')
    const reused = await send(generated.body, 'again', 'application/octet-stream', 'PUT')
    expect(reused.status).toBe(403)
    expect((await fetch(`${server.url}/api/healthz`)).status).toBe(200)
    expect(storedFiles()).toEqual(before)
  })

  it('takes one file for a one-file input, several for a multiple one', async () => {
    const single = await startConversation(chat(), 'upload-single')
    const first = await generate(single.sessionId, { fileName: 'a.txt', fileType: 'text/plain' })
    // A URL that was never used does not count: the user may pick another file.
    const replaced = await generate(single.sessionId, { fileName: 'b.txt', fileType: 'text/plain' })
    expect((await send(replaced.body, 'b', 'text/plain')).status).toBe(204)
    const third = await generate(single.sessionId, { fileName: 'c.txt', fileType: 'text/plain' })
    expect(third.status).toBe(400)
    expect(third.body).toEqual({ message: 'Only one file can be uploaded for this input', code: 'BAD_REQUEST' })
    expect(first.status).toBe(200)

    const multiple = await startConversation(chat(), 'upload-multiple')
    const urls: string[] = []
    for (const name of ['a.txt', 'b.txt', 'c.txt']) {
      const generated = await generate(multiple.sessionId, { fileName: name, fileType: 'text/plain' })
      expect((await send(generated.body, name, 'text/plain')).status).toBe(204)
      urls.push(generated.body.fileUrl)
    }
    const answered = await multiple.reply({ type: 'text', text: urls.join(', '), attachedFileUrls: urls })
    expect(bubbleText(answered.body.messages[0])).toBe(`Got ${urls.join(', ')}`)
  })

  it('keeps every file inside the uploads folder under a clean name, whatever the name sent', async () => {
    const { sessionId } = await startConversation(chat(), 'upload-multiple')
    const before = storedFiles().length
    for (const fileName of ['../../../../etc/passwd', '..\\..\\boot.ini', '/etc/shadow', '%2e%2e%2fx', 'a\u0000b', '.', '..']) {
      const generated = await generate(sessionId, { fileName, fileType: 'text/plain' })
      expect(generated.status, fileName).toBe(200)
      const name = decodeURIComponent(generated.body.fileUrl.split('/').pop())
      expect(name, fileName).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]*$/)
      expect((await send(generated.body, fileName, 'text/plain')).status).toBe(204)
    }
    const files = storedFiles()
    expect(files).toHaveLength(before + 7)
    for (const path of files) expect(path).toMatch(/^files\/[a-z0-9]{2}\/c[a-z0-9]{24}$/)
  })

  it('serves files of a private input only to callers who may read the typebot', async () => {
    const { sessionId, reply } = await startConversation(chat(), 'upload-private')
    const generated = await generate(sessionId, { fileName: 'id-card.png', fileType: 'image/png' })
    expect((await send(generated.body, 'secret', 'image/png')).status).toBe(204)
    await reply(generated.body.fileUrl)

    const anonymous = await fetch(generated.body.fileUrl)
    expect(anonymous.status).toBe(401)
    const stranger = await createTestUser(server)
    const refused = await fetch(generated.body.fileUrl, { headers: { authorization: `Bearer ${stranger.token}` } })
    expect(refused.status).toBe(404)
    expect(await refused.json()).toEqual({ message: 'File not found', code: 'NOT_FOUND' })
    const allowed = await fetch(generated.body.fileUrl, { headers: { authorization: `Bearer ${owner.token}` } })
    expect(allowed.status).toBe(200)
    expect(allowed.headers.get('cache-control')).toBe('private, no-store')
    expect(await allowed.text()).toBe('secret')
  })

  it('takes attachments of a text input: several files of any type up to the default limit, sent with the text reply', async () => {
    const { sessionId, reply } = await startConversation(chat(), 'upload-text')
    const tooLarge = await generate(sessionId, { fileName: 'big.zip', fileType: 'application/zip', fileSize: 11 * 1024 * 1024 }, 'ask1')
    expect(tooLarge.body).toEqual({ message: 'File size exceeds the 10MB limit', code: 'BAD_REQUEST' })
    const urls: string[] = []
    for (const [name, type] of [
      ['notes.txt', 'text/plain'],
      ['photo.png', 'image/png'],
    ] as const) {
      const generated = await generate(sessionId, { fileName: name, fileType: type, fileSize: 3 }, 'ask1')
      expect(generated.status, JSON.stringify(generated.body)).toBe(200)
      expect(generated.body.maxFileSize).toBe(10)
      expect((await send(generated.body, 'abc', type)).status).toBe(204)
      urls.push(generated.body.fileUrl)
    }
    const answered = await reply({ type: 'text', text: 'See attached', attachedFileUrls: urls })
    expect(answered.status).toBe(200)
    const shown = bubbleText(answered.body.messages[0])
    expect(shown).toMatch(/^Text See attached files .+ clip $/)
    for (const url of urls) expect(shown).toContain(url)
    for (const url of urls) expect(await (await fetch(url)).text()).toBe('abc')
  })

  it('takes an audio clip of a text input, private when the block says so, and the reply is its URL', async () => {
    const { sessionId, reply } = await startConversation(chat(), 'upload-clip')
    const generated = await generate(sessionId, { fileName: 'clip.webm', fileType: 'audio/webm' }, 'ask1')
    expect(generated.status, JSON.stringify(generated.body)).toBe(200)
    expect((await send(generated.body, 'OggS-audio', 'audio/webm')).status).toBe(204)
    expect((await fetch(generated.body.fileUrl)).status).toBe(401)
    const read = await fetch(generated.body.fileUrl, { headers: { authorization: `Bearer ${owner.token}` } })
    expect(read.headers.get('content-type')).toBe('audio/webm')
    const answered = await reply({ type: 'audio', url: generated.body.fileUrl })
    expect(answered.status).toBe(200)
    expect(bubbleText(answered.body.messages[0])).toBe(`Text  files  clip ${generated.body.fileUrl}`)
  })

  it("refuses what the session is not waiting for, with Typebot's messages", async () => {
    const none = await startConversation(chat(), 'upload-none')
    const notFile = await generate(none.sessionId, { fileName: 'a.txt', fileType: 'text/plain' }, 'ask1')
    expect(notFile.status).toBe(400)
    expect(notFile.body).toEqual({ message: 'Current block does not expect file upload', code: 'BAD_REQUEST' })
    const single = await startConversation(chat(), 'upload-single')
    expect((await generate(single.sessionId, { fileName: 'a.txt' }, 'other-block')).status).toBe(400)
    const unknown = await generate('no-such-session', { fileName: 'a.txt' })
    expect(unknown.status).toBe(400)
    expect(unknown.body).toEqual({ message: "Can't find session", code: 'BAD_REQUEST' })
    const invalid = await createApiClient(server.url)('POST', '/v3/generate-upload-url', { body: { sessionId: single.sessionId } })
    expect(invalid.status).toBe(400)
  })

  it('lists uploaded files in results and deletes them with the results and with the typebot', async () => {
    const { sessionId, reply, start } = await startConversation(chat(), 'upload-single')
    const generated = await generate(sessionId, { fileName: 'kept.txt', fileType: 'text/plain' })
    expect((await send(generated.body, 'kept', 'text/plain')).status).toBe(204)
    await reply({ type: 'text', text: generated.body.fileUrl, attachedFileUrls: [generated.body.fileUrl] })

    const typebotId = typebotIds[0]
    const result = await owner.call('GET', `/v1/typebots/${typebotId}/results/${start.body.resultId}`)
    expect(result.body.result.answers).toEqual([
      expect.objectContaining({ blockId: 'file1', content: generated.body.fileUrl, attachedFileUrls: [generated.body.fileUrl] }),
    ])
    const count = storedFiles().length
    const deleted = await owner.call('DELETE', `/v1/typebots/${typebotId}/results?resultIds=${start.body.resultId}`)
    expect(deleted.body).toEqual({ message: 'success', deletedCount: 1 })
    expect((await fetch(generated.body.fileUrl)).status).toBe(404)
    expect(storedFiles()).toHaveLength(count - 1)

    const other = await startConversation(chat(), 'upload-multiple')
    const more = await generate(other.sessionId, { fileName: 'gone.txt', fileType: 'text/plain' })
    expect((await send(more.body, 'gone', 'text/plain')).status).toBe(204)
    expect((await owner.call('DELETE', `/v1/typebots/${typebotIds[1]}`)).status).toBe(200)
    expect((await fetch(more.body.fileUrl)).status).toBe(404)
  })
})
