/** Input blocks (§6.2), keyed by their `type` string. */
import type { InputBlock } from '../../../schemas/blocks/inputs.js'
import type { InputHandler } from '../../block-handler.js'
import { cardsInputHandler } from './cards.js'
import { choiceInputHandler } from './choice.js'
import { dateInputHandler } from './date.js'
import { emailInputHandler } from './email.js'
import { fileInputHandler } from './file.js'
import { numberInputHandler } from './number.js'
import { paymentInputHandler } from './payment.js'
import { phoneNumberInputHandler } from './phone.js'
import { pictureChoiceInputHandler } from './picture-choice.js'
import { ratingInputHandler } from './rating.js'
import { textInputHandler } from './text.js'
import { timeInputHandler } from './time.js'
import { urlInputHandler } from './url.js'

type InputHandlers = { [Type in InputBlock['type']]: InputHandler<Extract<InputBlock, { type: Type }>> }

export const inputHandlers: InputHandlers = {
  'text input': textInputHandler,
  'email input': emailInputHandler,
  'number input': numberInputHandler,
  'url input': urlInputHandler,
  'phone number input': phoneNumberInputHandler,
  'date input': dateInputHandler,
  'time input': timeInputHandler,
  'choice input': choiceInputHandler,
  'picture choice input': pictureChoiceInputHandler,
  'rating input': ratingInputHandler,
  'payment input': paymentInputHandler,
  'file input': fileInputHandler,
  cards: cardsInputHandler,
}
