import { element } from '../chat-view.js'
import { createInputForm, createSendButton, type InputRenderer, readBoolean, readNumber, readString, textMessage } from './input-context.js'

/** The values a rating block offers: numbers from `startsAt` to `length`, or `length` icons from 1. */
export function toRatingValues(options: { buttonType?: string; length?: number; startsAt?: number }): number[] {
  const length = options.length !== undefined && options.length > 0 ? Math.min(Math.floor(options.length), 100) : 10
  const first = options.buttonType === 'Icons' ? 1 : Math.floor(options.startsAt ?? 0)
  const values: number[] = []
  for (let value = first; value <= length; value += 1) values.push(value)
  return values
}

export const renderRatingInput: InputRenderer = (input, context) => {
  const options = input.options
  const isIcons = readString(options, 'buttonType') === 'Icons'
  const values = toRatingValues({
    buttonType: readString(options, 'buttonType'),
    length: readNumber(options, 'length'),
    startsAt: readNumber(options, 'startsAt'),
  })
  const isOneClick = readBoolean(options, 'isOneClickSubmitEnabled') === true
  let selected: number | undefined

  const form = createInputForm('bf-input-rating', () => {
    if (selected === undefined) return
    context.submit({ message: textMessage(String(selected)), guestText: String(selected) })
  })
  const scale = element('div', `bf-rating${isIcons ? ' bf-rating-icons' : ''}`)
  scale.setAttribute('role', 'group')
  scale.setAttribute('aria-label', 'Rating')
  const buttons = values.map((value) => {
    const button = element('button', 'bf-rating-button', isIcons ? '★' : String(value))
    button.type = 'button'
    button.setAttribute('aria-label', `${value}`)
    button.setAttribute('aria-pressed', 'false')
    button.addEventListener('click', () => {
      selected = value
      buttons.forEach((other, index) => {
        const otherValue = values[index] ?? Number.NaN
        const isOn = isIcons ? otherValue <= value : otherValue === value
        other.classList.toggle('bf-rating-on', isOn)
        other.setAttribute('aria-pressed', String(otherValue === value))
      })
      if (isOneClick) form.requestSubmit()
      else sendButton.disabled = false
    })
    scale.append(button)
    return button
  })
  form.append(scale)

  const left = readString(options, 'labels', 'left')
  const right = readString(options, 'labels', 'right')
  if (left || right) {
    const labels = element('div', 'bf-rating-labels')
    labels.append(element('span', undefined, left ?? ''), element('span', undefined, right ?? ''))
    form.append(labels)
  }
  const sendButton = createSendButton(readString(options, 'labels', 'button') ?? 'Send')
  sendButton.disabled = true
  if (!isOneClick) form.append(sendButton)
  return form
}
