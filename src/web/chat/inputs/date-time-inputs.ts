import { element } from '../chat-view.js'
import { createInputForm, createSendButton, type InputRenderer, labelField, readBoolean, readString, textMessage } from './input-context.js'

/**
 * Native date pickers. The reply is ISO (`2024-01-05`, `2024-01-05T10:30`), which the server's
 * date parser reads whatever the block's display format; the server formats the stored answer.
 */
export const renderDateInput: InputRenderer = (input, context) => {
  const options = input.options
  const hasTime = readBoolean(options, 'hasTime') === true
  const isRange = readBoolean(options, 'isRange') === true
  const createField = (label: string) => {
    const field = element('input', 'bf-field bf-field-date')
    field.type = hasTime ? 'datetime-local' : 'date'
    const min = toPickerBound(readString(options, 'min'), hasTime)
    const max = toPickerBound(readString(options, 'max'), hasTime)
    if (min) field.min = min
    if (max) field.max = max
    labelField(field, label)
    return field
  }
  const fromLabel = readString(options, 'labels', 'from') ?? 'From:'
  const toLabel = readString(options, 'labels', 'to') ?? 'To:'
  const from = createField(isRange ? fromLabel : 'Date')
  const to = isRange ? createField(toLabel) : undefined
  if (!isRange && context.isPrefillEnabled && input.prefilledValue) from.value = toPickerBound(input.prefilledValue, hasTime) ?? ''

  const form = createInputForm('bf-input-date', () => {
    const missing = [from, to].find((field) => field && field.value === '')
    if (missing) {
      missing.focus()
      return
    }
    const text = to ? `${from.value} to ${to.value}` : from.value
    context.submit({ message: textMessage(text), guestText: text })
  })
  if (to) {
    form.append(labelled(fromLabel, from), labelled(toLabel, to))
  } else {
    form.append(from)
  }
  form.append(createSendButton(readString(options, 'labels', 'button') ?? 'Send'))
  return form
}

export const renderTimeInput: InputRenderer = (input, context) => {
  const field = element('input', 'bf-field bf-field-date')
  field.type = 'time'
  labelField(field, 'Time')
  if (context.isPrefillEnabled && input.prefilledValue && /^\d{2}:\d{2}/.test(input.prefilledValue))
    field.value = input.prefilledValue.slice(0, 5)
  const form = createInputForm('bf-input-time', () => {
    if (field.value === '') {
      field.focus()
      return
    }
    context.submit({ message: textMessage(field.value), guestText: field.value })
  })
  form.append(field, createSendButton(readString(input.options, 'labels', 'button') ?? 'Send'))
  return form
}

function labelled(text: string, field: HTMLInputElement): HTMLLabelElement {
  const label = element('label', 'bf-date-label')
  label.append(element('span', undefined, text), field)
  return label
}

/** The server sends min/max cut to `YYYY-MM-DD[THH:mm]` (docs/runtime.md §6.2.6); pickers need exactly that shape. */
function toPickerBound(value: string | undefined, hasTime: boolean): string | undefined {
  const match = value?.match(/^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}))?/)
  if (!match) return undefined
  return hasTime ? `${match[1]}T${match[2] ?? '00:00'}` : match[1]
}
