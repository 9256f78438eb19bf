import { element } from '../chat-view.js'
import type { ChatInput } from '../wire-types.js'
import {
  createInputForm,
  createSendButton,
  type InputContext,
  type InputRenderer,
  labelField,
  readBoolean,
  readNumber,
  readString,
  textMessage,
} from './input-context.js'
import { createTextExtras, type TextExtras } from './text-extras.js'

type FieldSpec = {
  type: 'text' | 'number' | 'email' | 'url' | 'tel'
  /** Default placeholder (docs/runtime.md §6.2) when the block has none. */
  placeholder: string
  autocomplete?: string
  inputMode?: string
}

const textFieldSpec: FieldSpec = { type: 'text', placeholder: 'Type your answer...' }

const fieldSpecs: Record<string, FieldSpec> = {
  'text input': textFieldSpec,
  'number input': { type: 'number', placeholder: 'Type a number...', inputMode: 'decimal' },
  'email input': { type: 'email', placeholder: 'Type your email...', autocomplete: 'email' },
  'url input': { type: 'url', placeholder: 'Type a URL...', autocomplete: 'url' },
  'phone number input': { type: 'tel', placeholder: 'Type your phone number...', autocomplete: 'tel' },
}

const inputModes = new Set(['text', 'decimal', 'numeric', 'tel', 'search', 'email', 'url'])

/**
 * One field and a send button. The browser does not validate (the server's retry message is the
 * feedback users get in Typebot too); only an empty answer is not sent.
 */
export const renderTextInput: InputRenderer = (input, context) => {
  const spec = fieldSpecs[input.type] ?? textFieldSpec
  const options = input.options
  const placeholder = readString(options, 'labels', 'placeholder') ?? spec.placeholder
  const isLong = input.type === 'text input' && readBoolean(options, 'isLong') === true
  const field = isLong ? element('textarea', 'bf-field bf-field-long') : element('input', 'bf-field')
  if (field instanceof HTMLInputElement) {
    field.type = spec.type
    if (spec.type === 'number') applyNumberBounds(field, input)
  } else {
    field.rows = 3
  }
  field.name = 'answer'
  field.placeholder = placeholder
  labelField(field, placeholder)
  if (spec.autocomplete) field.setAttribute('autocomplete', spec.autocomplete)
  const inputMode = readString(options, 'inputMode') ?? spec.inputMode
  if (inputMode && inputModes.has(inputMode)) field.inputMode = inputMode
  prefill(field, input, context)

  const sendButton = createSendButton(readString(options, 'labels', 'button') ?? 'Send')
  const extras = createExtrasOf(input, context, sendButton)
  const form = createInputForm(`bf-input-${spec.type}`, () => {
    const value = field.value
    if (value.trim() === '') {
      field.focus()
      return
    }
    if (extras) void extras.submitText(value)
    else context.submit({ message: textMessage(value), guestText: value })
  })
  if (field instanceof HTMLTextAreaElement) {
    // Enter sends, Shift+Enter starts a new line.
    field.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault()
        form.requestSubmit()
      }
    })
  }
  if (!extras) {
    form.append(field, sendButton)
    return form
  }
  form.classList.add('bf-input-with-extras')
  form.append(...extras.status, ...extras.leading, field, sendButton, ...extras.trailing)
  field.addEventListener('input', () => extras.onTextChanged(field.value))
  extras.onTextChanged(field.value)
  return form
}

/** Attachments (when they have a variable to go to, as Typebot's embed requires) and audio clips of a text input. */
function createExtrasOf(input: ChatInput, context: InputContext, sendButton: HTMLButtonElement): TextExtras | undefined {
  if (input.type !== 'text input') return undefined
  const isAttachmentEnabled =
    readBoolean(input.options, 'attachments', 'isEnabled') === true &&
    readString(input.options, 'attachments', 'saveVariableId') !== undefined
  const isAudioClipEnabled = readBoolean(input.options, 'audioClip', 'isEnabled') === true
  if (!isAttachmentEnabled && !isAudioClipEnabled) return undefined
  return createTextExtras(input.id, context, { isAttachmentEnabled, isAudioClipEnabled, sendButton })
}

function applyNumberBounds(field: HTMLInputElement, input: ChatInput) {
  const min = readNumber(input.options, 'min')
  const max = readNumber(input.options, 'max')
  const step = readNumber(input.options, 'step')
  if (min !== undefined) field.min = String(min)
  if (max !== undefined) field.max = String(max)
  field.step = step !== undefined && step > 0 ? String(step) : 'any'
}

function prefill(field: HTMLInputElement | HTMLTextAreaElement, input: ChatInput, context: InputContext) {
  if (context.isPrefillEnabled && typeof input.prefilledValue === 'string') field.value = input.prefilledValue
}
