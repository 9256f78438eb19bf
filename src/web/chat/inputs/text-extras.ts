import { element } from '../chat-view.js'
import type { UploadOutcome } from '../upload-files.js'
import type { OutgoingMessage } from '../wire-types.js'
import type { InputContext, InputReply } from './input-context.js'
import { createUploadProgress } from './upload-progress.js'

/**
 * What a text input may take besides its text (Typebot's `attachments` and `audioClip` options):
 * files attached to the answer, uploaded when it is sent, and a voice clip recorded with
 * MediaRecorder, sent as the answer on its own. Both upload like the file input.
 */
export type TextExtras = {
  /** Placed before the field: the attach button. */
  leading: HTMLElement[]
  /** Placed after the send button: the record button. */
  trailing: HTMLElement[]
  /** Lines under the field: chosen files, upload progress, errors. */
  status: HTMLElement[]
  /** Sends the text with the chosen files (uploaded first); does nothing while an upload runs. */
  submitText(text: string): Promise<void>
  /** The field's text changed: the record button shows only while it is empty, as in Typebot. */
  onTextChanged(text: string): void
}

type Options = { isAttachmentEnabled: boolean; isAudioClipEnabled: boolean; sendButton: HTMLButtonElement }

export function createTextExtras(blockId: string, context: InputContext, options: Options): TextExtras {
  const chosen: File[] = []
  let isBusy = false
  const list = element('ul', 'bf-file-list')
  const progress = createUploadProgress()
  const error = element('p', 'bf-file-error')
  error.setAttribute('role', 'alert')

  async function upload(files: File[]): Promise<UploadOutcome> {
    if (!context.uploadFiles) return { ok: false, message: 'Files cannot be uploaded here.' }
    isBusy = true
    options.sendButton.disabled = true
    error.textContent = ''
    progress.show(0)
    const outcome = await context.uploadFiles(blockId, files, progress.show)
    isBusy = false
    options.sendButton.disabled = false
    progress.hide()
    if (!outcome.ok) error.textContent = outcome.message
    return outcome
  }

  const leading: HTMLElement[] = []
  if (options.isAttachmentEnabled) {
    const picker = element('input', 'bf-file-picker')
    picker.type = 'file'
    picker.multiple = true
    const attach = element('label', 'bf-button bf-button-secondary bf-attach', '📎')
    attach.title = 'Attach files'
    attach.setAttribute('aria-label', 'Attach files')
    attach.append(picker)
    picker.addEventListener('change', () => {
      if (!isBusy) chosen.push(...Array.from(picker.files ?? []))
      picker.value = ''
      showChosen()
    })
    leading.push(attach)
  }

  function showChosen() {
    list.replaceChildren(
      ...chosen.map((file, index) => {
        const item = element('li', 'bf-file-item', file.name)
        const remove = element('button', 'bf-file-remove', '×')
        remove.type = 'button'
        remove.setAttribute('aria-label', `Remove ${file.name}`)
        remove.addEventListener('click', () => {
          if (isBusy) return
          chosen.splice(index, 1)
          showChosen()
        })
        item.append(remove)
        return item
      }),
    )
  }

  const trailing: HTMLElement[] = []
  let isTextEmpty = true
  let isRecording = false
  const recordButton = options.isAudioClipEnabled
    ? createVoiceRecorder(blockId, {
        upload,
        submit: context.submit,
        isBusy: () => isBusy,
        onError: (message) => {
          error.textContent = message
        },
        onRecording: (recording) => {
          isRecording = recording
          updateButtons()
        },
      })
    : undefined
  if (recordButton) trailing.push(recordButton)
  // As in Typebot: the record button replaces the send button while the field is empty.
  const updateButtons = () => {
    if (!recordButton) return
    recordButton.hidden = !isTextEmpty && !isRecording
    options.sendButton.hidden = isTextEmpty || isRecording
  }
  updateButtons()

  return {
    leading,
    trailing,
    status: [list, progress.element, error],
    async submitText(text) {
      if (isBusy) return
      if (chosen.length === 0) return context.submit({ message: { type: 'text', text }, guestText: text })
      const outcome = await upload([...chosen])
      if (!outcome.ok) return
      const message: OutgoingMessage = { type: 'text', text, attachedFileUrls: outcome.urls }
      context.submit({ message, guestText: text, guestDetail: fileNamesOf(chosen) })
    },
    onTextChanged(text) {
      isTextEmpty = text.trim() === ''
      updateButtons()
    },
  }
}

/** The guest bubble's list of the files that went with the answer. */
function fileNamesOf(files: File[]): HTMLElement {
  const names = element('ul', 'bf-guest-files')
  names.append(...files.map((file) => element('li', undefined, `📎 ${file.name}`)))
  return names
}

type RecorderHooks = {
  upload(files: File[]): Promise<UploadOutcome>
  submit(reply: InputReply): void
  isBusy(): boolean
  onError(message: string): void
  onRecording(isRecording: boolean): void
}

/**
 * One button: a first click asks for the microphone and records, a second one stops, uploads the
 * clip and answers `{ type: 'audio', url }`. WebM where the browser records it, else MP4, named
 * as Typebot's embed names clips.
 */
function createVoiceRecorder(blockId: string, hooks: RecorderHooks) {
  const button = element('button', 'bf-button bf-record', '🎤')
  button.type = 'button'
  button.setAttribute('aria-label', 'Record voice')
  let recorder: MediaRecorder | undefined

  const setRecording = (isRecording: boolean) => {
    button.textContent = isRecording ? '⏹' : '🎤'
    button.setAttribute('aria-label', isRecording ? 'Stop recording' : 'Record voice')
    hooks.onRecording(isRecording)
  }

  async function start() {
    if (typeof MediaRecorder === 'undefined' || !navigator.mediaDevices?.getUserMedia) {
      return hooks.onError('This browser cannot record audio.')
    }
    let stream: MediaStream
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true })
    } catch {
      return hooks.onError('The microphone is not available.')
    }
    const mimeType = MediaRecorder.isTypeSupported('audio/webm') ? 'audio/webm' : 'video/mp4'
    const chunks: Blob[] = []
    const started = new MediaRecorder(stream, { mimeType })
    started.addEventListener('dataavailable', (event) => {
      if (event.data.size > 0) chunks.push(event.data)
    })
    started.addEventListener('stop', () => {
      for (const track of stream.getTracks()) track.stop()
      setRecording(false)
      if (chunks.length === 0) return
      const extension = mimeType === 'audio/webm' ? 'webm' : 'mp4'
      const file = new File(chunks, `rec-${blockId}-${Date.now()}.${extension}`, { type: mimeType })
      void sendClip(file)
    })
    recorder = started
    started.start()
    setRecording(true)
  }

  async function sendClip(file: File) {
    const outcome = await hooks.upload([file])
    if (!outcome.ok || !outcome.urls[0]) return
    const player = element('audio', 'bf-guest-audio')
    player.controls = true
    player.src = URL.createObjectURL(file)
    hooks.submit({ message: { type: 'audio', url: outcome.urls[0] }, guestDetail: player })
  }

  button.addEventListener('click', () => {
    if (recorder && recorder.state !== 'inactive') {
      recorder.stop()
      recorder = undefined
      return
    }
    if (!hooks.isBusy()) void start()
  })
  return button
}
