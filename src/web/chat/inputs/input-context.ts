import { element } from '../chat-view.js'
import type { UploadOutcome } from '../upload-files.js'
import type { ChatInput, OutgoingMessage } from '../wire-types.js'

/** What an input form hands back: the message for continueChat and the text of the user's bubble. */
export type InputReply = {
  /** Undefined: continueChat without message (a skipped optional file input). */
  message?: OutgoingMessage
  guestText?: string
  /** Shown in the user's bubble under the text: attached file names, a recorded clip. */
  guestDetail?: HTMLElement
}

export type InputContext = {
  submit(reply: InputReply): void
  /** `settings.general.isInputPrefillEnabled`: show `prefilledValue` in the field. */
  isPrefillEnabled: boolean
  baseUrl: string
  /** Uploads files for the input `blockId` of this session; `onProgress` gets 0 to 1. */
  uploadFiles?(blockId: string, files: File[], onProgress: (fraction: number) => void): Promise<UploadOutcome>
  /** Before a payment that may leave the page (bank redirects): what the page needs to resume the chat. */
  rememberPaymentInProgress?(): void
}

/** Builds the form of one input type; the form sends at most once (the chat replaces it). */
export type InputRenderer = (input: ChatInput, context: InputContext) => HTMLElement

export function textMessage(text: string, replyId?: string): OutgoingMessage {
  return replyId ? { type: 'text', text, metadata: { replyId } } : { type: 'text', text }
}

/** A `<form>` that never lets the browser validate or navigate: Enter and the button both call `onSubmit`. */
export function createInputForm(className: string, onSubmit: () => void): HTMLFormElement {
  const form = element('form', `bf-input ${className}`)
  form.noValidate = true
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    onSubmit()
  })
  return form
}

export function createSendButton(label: string): HTMLButtonElement {
  const button = element('button', 'bf-button bf-send', label)
  button.type = 'submit'
  return button
}

/** A string option at `path` inside `options`, when it is a non-empty string. */
export function readString(options: Record<string, unknown> | undefined, ...path: string[]): string | undefined {
  const value = readValue(options, path)
  return typeof value === 'string' && value.trim() !== '' ? value : undefined
}

export function readBoolean(options: Record<string, unknown> | undefined, ...path: string[]): boolean | undefined {
  const value = readValue(options, path)
  return typeof value === 'boolean' ? value : undefined
}

/** A number option, also when given as a numeric string (a `{{variable}}` the server substituted). */
export function readNumber(options: Record<string, unknown> | undefined, ...path: string[]): number | undefined {
  const value = readValue(options, path)
  const parsed = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN
  return Number.isFinite(parsed) ? parsed : undefined
}

function readValue(options: Record<string, unknown> | undefined, path: string[]): unknown {
  let current: unknown = options
  for (const key of path) {
    if (!current || typeof current !== 'object') return undefined
    current = (current as Record<string, unknown>)[key]
  }
  return current
}

/** A label for assistive technology on a field whose visible hint is its placeholder. */
export function labelField(field: HTMLElement, label: string) {
  field.setAttribute('aria-label', label)
}
