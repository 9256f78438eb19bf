import { element } from '../chat-view.js'
import { toSafeMediaUrl } from '../safe-url.js'
import { createInputForm, type InputRenderer, textMessage } from './input-context.js'

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

export const renderUnsupportedInput: InputRenderer = (input) => notice(`This question (${input.type}) cannot be answered on this page.`)

function notice(text: string): HTMLElement {
  const box = element('div', 'bf-input bf-notice', text)
  box.setAttribute('role', 'status')
  return box
}
