import { element } from '../chat-view.js'
import { createInputForm, createSendButton, type InputRenderer, readBoolean, readNumber, readString } from './input-context.js'
import { createUploadProgress } from './upload-progress.js'

const defaultSizeLimitMb = 10

/**
 * File input: a picker and a drop zone, the chosen files, one progress bar while they upload, then
 * the answer is their URLs (`a, b`), as Typebot's embed sends it. A one-file input uploads as soon
 * as a file is picked; a multiple one collects files until "Upload". Optional inputs can be skipped.
 */
export const renderFileInput: InputRenderer = (input, context) => {
  const options = input.options
  const isMultiple = readBoolean(options, 'isMultipleAllowed') === true
  const sizeLimitMb = readNumber(options, 'sizeLimit') ?? defaultSizeLimitMb
  const chosen: File[] = []
  let isUploading = false

  const form = createInputForm('bf-input-file', () => void upload())
  const picker = element('input', 'bf-file-picker')
  picker.type = 'file'
  picker.multiple = isMultiple
  const accept = acceptOf(options)
  if (accept) picker.accept = accept
  const capture = readString(options, 'capture')
  if (capture === 'user' || capture === 'environment') picker.setAttribute('capture', capture)

  const zone = element('label', 'bf-file-zone')
  zone.append(
    picker,
    element('span', 'bf-file-zone-text', plainText(readString(options, 'labels', 'placeholder')) ?? 'Click to upload or drag and drop'),
  )
  const list = element('ul', 'bf-file-list')
  const progress = createUploadProgress()
  const status = element('p', 'bf-file-error')
  status.setAttribute('role', 'alert')
  const actions = element('div', 'bf-file-actions')
  const sendButton = createSendButton(readString(options, 'labels', 'button') ?? 'Upload')
  if (isMultiple) actions.append(sendButton)
  if (readBoolean(options, 'isRequired') === false) {
    const skip = element('button', 'bf-button bf-button-secondary', readString(options, 'labels', 'skip') ?? 'Skip')
    skip.type = 'button'
    skip.addEventListener('click', () => {
      if (!isUploading) context.submit({ guestText: skip.textContent ?? 'Skip' })
    })
    actions.append(skip)
  }
  form.append(zone, list, progress.element, status, actions)

  picker.addEventListener('change', () => {
    addFiles(Array.from(picker.files ?? []))
    picker.value = ''
  })
  zone.addEventListener('dragover', (event) => {
    event.preventDefault()
    zone.classList.add('bf-file-zone-over')
  })
  zone.addEventListener('dragleave', () => zone.classList.remove('bf-file-zone-over'))
  zone.addEventListener('drop', (event) => {
    event.preventDefault()
    zone.classList.remove('bf-file-zone-over')
    addFiles(Array.from(event.dataTransfer?.files ?? []))
  })

  function addFiles(files: File[]) {
    if (isUploading) return
    status.textContent = ''
    for (const file of files) {
      if (file.size > sizeLimitMb * 1024 * 1024) {
        status.textContent = `${file.name} is larger than the ${sizeLimitMb} MB limit.`
        continue
      }
      if (!isMultiple) chosen.length = 0
      chosen.push(file)
    }
    list.replaceChildren(...chosen.map((file) => element('li', 'bf-file-item', file.name)))
    if (!isMultiple && chosen.length > 0) void upload()
  }

  async function upload() {
    if (isUploading || chosen.length === 0) return
    if (!context.uploadFiles) {
      status.textContent = 'Files cannot be uploaded here.'
      return
    }
    isUploading = true
    form.classList.add('bf-file-uploading')
    sendButton.disabled = true
    status.textContent = ''
    progress.show(0)
    const outcome = await context.uploadFiles(input.id, [...chosen], progress.show)
    isUploading = false
    form.classList.remove('bf-file-uploading')
    sendButton.disabled = false
    if (!outcome.ok) {
      progress.hide()
      status.textContent = outcome.message
      return
    }
    const count = outcome.urls.length
    const label =
      count > 1
        ? (readString(options, 'labels', 'success', 'multiple') ?? '{total} files uploaded').replaceAll('{total}', String(count))
        : (readString(options, 'labels', 'success', 'single') ?? 'File uploaded')
    context.submit({ message: { type: 'text', text: outcome.urls.join(', ') }, guestText: label })
  }

  return form
}

/** The picker's `accept` from the block's allowed types (MIME types, `type/*` or `.ext`). */
function acceptOf(options: Record<string, unknown> | undefined): string | undefined {
  const allowed = options?.allowedFileTypes
  if (!allowed || typeof allowed !== 'object' || !('isEnabled' in allowed) || allowed.isEnabled !== true) return undefined
  const types = 'types' in allowed && Array.isArray(allowed.types) ? allowed.types.filter((type) => typeof type === 'string') : []
  return types.length > 0 ? types.join(',') : undefined
}

/** Typebot's placeholder label is HTML (`<strong>Click to upload</strong> or drag...`): shown as text. */
function plainText(html: string | undefined): string | undefined {
  if (!html) return undefined
  const text = new DOMParser().parseFromString(html, 'text/html').body.textContent?.replace(/\s+/g, ' ').trim()
  return text || undefined
}
