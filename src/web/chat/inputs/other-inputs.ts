import { element } from '../chat-view.js'
import { toSafeMediaUrl } from '../safe-url.js'
import { createInputForm, createSendButton, type InputRenderer, labelField, readBoolean, readString, textMessage } from './input-context.js'

/**
 * File input without uploads (botflow has no upload endpoint yet): the user pastes file URLs,
 * which the server accepts as answers. Optional files can be skipped.
 */
export const renderFileInput: InputRenderer = (input, context) => {
  const options = input.options
  const isMultiple = readBoolean(options, 'isMultipleAllowed') === true
  const placeholder = isMultiple ? 'Paste the URLs of your files, separated by commas' : 'Paste the URL of your file'
  const field = element('input', 'bf-field')
  field.type = 'url'
  field.placeholder = placeholder
  labelField(field, placeholder)
  const form = createInputForm('bf-input-file', () => {
    const urls = field.value
      .split(/[\s,]+/)
      .map((url) => url.trim())
      .filter(Boolean)
    if (urls.length === 0) {
      field.focus()
      return
    }
    const text = (isMultiple ? urls : urls.slice(0, 1)).join(', ')
    context.submit({ message: textMessage(text), guestText: text })
  })
  form.append(field, createSendButton(readString(options, 'labels', 'button') ?? 'Upload'))
  if (readBoolean(options, 'isRequired') === false) {
    const skip = element('button', 'bf-button bf-button-secondary', readString(options, 'labels', 'skip') ?? 'Skip')
    skip.type = 'button'
    skip.addEventListener('click', () => context.submit({ guestText: skip.textContent ?? 'Skip' }))
    form.append(skip)
  }
  return form
}

/** Cards: a picture, a title, a description and one button per path; the path id tells the server which. */
export const renderCardsInput: InputRenderer = (input, context) => {
  const form = createInputForm('bf-input-cards', () => undefined)
  const list = element('div', 'bf-cards')
  list.setAttribute('role', 'group')
  list.setAttribute('aria-label', 'Pick a card')
  for (const item of input.items ?? []) {
    const card = element('div', 'bf-card')
    const imageUrl = toSafeMediaUrl(typeof item.imageUrl === 'string' ? item.imageUrl : undefined, context.baseUrl)
    const title = typeof item.title === 'string' ? item.title : ''
    if (imageUrl) {
      const image = element('img', 'bf-card-image')
      image.src = imageUrl
      image.alt = title
      image.loading = 'lazy'
      card.append(image)
    }
    const body = element('div', 'bf-card-body')
    if (title) body.append(element('p', 'bf-card-title', title))
    if (typeof item.description === 'string' && item.description) body.append(element('p', 'bf-card-description', item.description))
    const paths = Array.isArray(item.paths) ? (item.paths as Record<string, unknown>[]) : []
    for (const path of paths) {
      if (typeof path.id !== 'string') continue
      const label = typeof path.text === 'string' && path.text.trim() !== '' ? path.text : title || 'Select'
      const button = element('button', 'bf-button bf-card-button', label)
      button.type = 'button'
      const pathId = path.id
      button.addEventListener('click', () => context.submit({ message: textMessage(label, pathId), guestText: label }))
      body.append(button)
    }
    card.append(body)
    list.append(card)
  }
  form.append(list)
  return form
}

/** Payments need a payment provider's client: this page says so instead of leaving a blank. */
export const renderPaymentInput: InputRenderer = () => notice('Payments are not supported on this page yet.')

export const renderUnsupportedInput: InputRenderer = (input) => notice(`This question (${input.type}) cannot be answered on this page.`)

function notice(text: string): HTMLElement {
  const box = element('div', 'bf-input bf-notice', text)
  box.setAttribute('role', 'status')
  return box
}
