import { element } from '../chat-view.js'
import { toSafeMediaUrl } from '../safe-url.js'
import type { ChatInput } from '../wire-types.js'
import {
  createInputForm,
  createSendButton,
  type InputContext,
  type InputRenderer,
  labelField,
  readBoolean,
  readString,
  textMessage,
} from './input-context.js'

type Choice = {
  id: string
  /** What is sent and shown in the user's bubble. */
  text: string
  pictureUrl?: string
  description?: string
}

type ChoiceListOptions = {
  isMultiple: boolean
  isSearchable: boolean
  searchPlaceholder: string
  areInitialChoicesVisible: boolean
  sendLabel: string
  className: string
}

/** Buttons (`choice input`): one click sends; multiple choice toggles, then sends the picked items. */
export const renderButtonsInput: InputRenderer = (input, context) => {
  const choices = (input.items ?? []).flatMap((item): Choice[] => {
    const id = typeof item.id === 'string' ? item.id : undefined
    const content = typeof item.content === 'string' ? item.content : ''
    return id && content.trim() !== '' ? [{ id, text: content }] : []
  })
  return renderChoiceList(choices, toListOptions(input, 'bf-input-buttons'), context)
}

/** Picture choice: the same list with images; an item's text is its title, else its picture URL. */
export const renderPictureChoiceInput: InputRenderer = (input, context) => {
  const choices = (input.items ?? []).flatMap((item): Choice[] => {
    const id = typeof item.id === 'string' ? item.id : undefined
    const pictureSrc = typeof item.pictureSrc === 'string' ? item.pictureSrc : undefined
    const title = typeof item.title === 'string' && item.title.trim() !== '' ? item.title : undefined
    const text = title ?? pictureSrc
    if (!id || !text) return []
    const description = typeof item.description === 'string' && item.description.trim() !== '' ? item.description : undefined
    return [{ id, text, pictureUrl: toSafeMediaUrl(pictureSrc, context.baseUrl), description }]
  })
  return renderChoiceList(choices, toListOptions(input, 'bf-input-pictures'), context)
}

function toListOptions(input: ChatInput, className: string): ChoiceListOptions {
  const options = input.options
  return {
    isMultiple: readBoolean(options, 'isMultipleChoice') === true,
    isSearchable: readBoolean(options, 'isSearchable') === true,
    searchPlaceholder: readString(options, 'searchInputPlaceholder') ?? 'Filter the options...',
    areInitialChoicesVisible: readBoolean(options, 'areInitialSearchButtonsVisible') ?? true,
    sendLabel: readString(options, 'buttonLabel') ?? 'Send',
    className,
  }
}

function renderChoiceList(choices: Choice[], options: ChoiceListOptions, context: InputContext): HTMLElement {
  const selected = new Set<string>()
  const form = createInputForm(`bf-input-choices ${options.className}`, () => {
    const picked = choices.filter((choice) => selected.has(choice.id))
    if (picked.length === 0) return
    // Typebot's multiple-choice reply: the picked contents in display order, joined with ", ".
    const text = picked.map((choice) => choice.text).join(', ')
    context.submit({ message: textMessage(text), guestText: text })
  })
  const list = element('div', 'bf-choices')
  list.setAttribute('role', 'group')
  list.setAttribute('aria-label', options.isMultiple ? 'Pick one or more answers' : 'Pick an answer')

  const buttons = choices.map((choice) => {
    const button = element('button', `bf-choice${choice.pictureUrl ? ' bf-choice-picture' : ''}`)
    button.type = 'button'
    button.dataset.choiceId = choice.id
    if (choice.pictureUrl) {
      const image = element('img')
      image.src = choice.pictureUrl
      image.alt = ''
      image.loading = 'lazy'
      button.append(image)
    }
    button.append(element('span', 'bf-choice-text', choice.text))
    if (choice.description) button.append(element('span', 'bf-choice-description', choice.description))
    if (options.isMultiple) button.setAttribute('aria-pressed', 'false')
    button.addEventListener('click', () => {
      if (!options.isMultiple) {
        context.submit({ message: textMessage(choice.text, choice.id), guestText: choice.text })
        return
      }
      const isSelected = !selected.has(choice.id)
      if (isSelected) selected.add(choice.id)
      else selected.delete(choice.id)
      button.setAttribute('aria-pressed', String(isSelected))
      sendButton.disabled = selected.size === 0
    })
    list.append(button)
    return button
  })

  if (options.isSearchable) {
    const search = element('input', 'bf-field bf-search')
    search.type = 'search'
    search.placeholder = options.searchPlaceholder
    labelField(search, options.searchPlaceholder)
    const filter = () => {
      const query = search.value.trim().toLowerCase()
      buttons.forEach((button, index) => {
        const choice = choices[index]
        if (!choice) return
        const isMatch = query === '' ? options.areInitialChoicesVisible : choice.text.toLowerCase().includes(query)
        button.hidden = !isMatch && !selected.has(choice.id)
      })
    }
    search.addEventListener('input', filter)
    // Enter in the filter picks the only remaining option instead of submitting nothing.
    search.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter') return
      event.preventDefault()
      const visible = buttons.filter((button) => !button.hidden)
      if (visible.length === 1) visible[0]?.click()
    })
    filter()
    form.append(search)
  }
  form.append(list)

  const sendButton = createSendButton(options.sendLabel)
  sendButton.disabled = true
  if (options.isMultiple) form.append(sendButton)
  return form
}
