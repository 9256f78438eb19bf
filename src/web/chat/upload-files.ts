import type { ChatApiClient, UploadTarget } from './chat-api-client.js'

export type UploadOutcome = { ok: true; urls: string[] } | { ok: false; message: string }

/**
 * Uploads files one after the other for the input a session waits on, the way Typebot's embed
 * does: ask generate-upload-url, then send the bytes where it says (multipart POST of its form
 * fields then `file`, or a PUT of the bytes when there are none). `onProgress` gets the share of
 * all bytes sent, 0 to 1 (XMLHttpRequest: fetch reports no upload progress).
 */
export async function uploadFiles(
  api: ChatApiClient,
  input: { sessionId: string; blockId: string },
  files: File[],
  onProgress: (fraction: number) => void,
): Promise<UploadOutcome> {
  const total = files.reduce((sum, file) => sum + file.size, 0) || 1
  let done = 0
  const urls: string[] = []
  for (const file of files) {
    const generated = await api.generateUploadUrl({ ...input, fileName: file.name, fileType: file.type, fileSize: file.size })
    if (!generated.ok) return { ok: false, message: generated.error.message }
    const sent = await sendFile(generated.body, file, (loaded) => onProgress((done + loaded) / total))
    if (!sent.ok) return sent
    done += file.size
    onProgress(done / total)
    urls.push(generated.body.fileUrl)
  }
  return { ok: true, urls }
}

function sendFile(
  target: UploadTarget,
  file: File,
  onLoaded: (bytes: number) => void,
): Promise<{ ok: true } | { ok: false; message: string }> {
  return new Promise((resolve) => {
    const request = new XMLHttpRequest()
    const fields = Object.entries(target.formData ?? {})
    request.upload.addEventListener('progress', (event) => onLoaded(Math.min(event.loaded, file.size)))
    request.addEventListener('load', () => {
      if (request.status >= 200 && request.status < 300) resolve({ ok: true })
      else resolve({ ok: false, message: readMessage(request.responseText) ?? `Upload failed (${request.status})` })
    })
    request.addEventListener('error', () => resolve({ ok: false, message: 'Could not upload the file: network error' }))
    if (fields.length === 0) {
      request.open('PUT', target.presignedUrl)
      if (file.type) request.setRequestHeader('content-type', file.type)
      request.send(file)
      return
    }
    const form = new FormData()
    for (const [name, value] of fields) form.append(name, value)
    form.append('file', file)
    request.open('POST', target.presignedUrl)
    request.send(form)
  })
}

/** Our error body's message, or the text of an S3 error. */
function readMessage(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body)
    if (parsed && typeof parsed === 'object' && 'message' in parsed && typeof parsed.message === 'string') return parsed.message
  } catch {
    const match = /<Message>([^<]*)<\/Message>/.exec(body)
    if (match?.[1]) return match[1]
  }
  return undefined
}
