import type { ChatInput } from '../wire-types.js'
import { renderButtonsInput, renderPictureChoiceInput } from './choice-inputs.js'
import { renderDateInput, renderTimeInput } from './date-time-inputs.js'
import { renderFileInput } from './file-input.js'
import type { InputContext, InputRenderer } from './input-context.js'
import { renderCardsInput, renderUnsupportedInput } from './other-inputs.js'
import { renderPaymentInput } from './payment-input.js'
import { renderRatingInput } from './rating-input.js'
import { renderTextInput } from './text-inputs.js'

export type { InputContext, InputReply } from './input-context.js'

/** Input block type (as the Chat API sends it) -> its form: the only list of input types in the page. */
const inputRenderers: Record<string, InputRenderer> = {
  'text input': renderTextInput,
  'number input': renderTextInput,
  'email input': renderTextInput,
  'url input': renderTextInput,
  'phone number input': renderTextInput,
  'date input': renderDateInput,
  'time input': renderTimeInput,
  'choice input': renderButtonsInput,
  'picture choice input': renderPictureChoiceInput,
  'rating input': renderRatingInput,
  'file input': renderFileInput,
  cards: renderCardsInput,
  'payment input': renderPaymentInput,
}

export function renderInput(input: ChatInput, context: InputContext): HTMLElement {
  const form = (inputRenderers[input.type] ?? renderUnsupportedInput)(input, context)
  form.dataset.inputType = input.type
  return form
}
