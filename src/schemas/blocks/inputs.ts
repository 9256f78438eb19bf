import { z } from 'zod'

// Typebot adds options over time: option objects keep unknown fields (and send them to clients).
// Block and item objects drop what is not theirs, such as the `groupId` / `blockId` of v4/v5.
const blockBaseShape = { id: z.string(), outgoingEdgeId: z.string().optional() }

/** A number, or a `{{variable}}` substituted at runtime. */
const numberOrTemplateSchema = z.union([z.number(), z.string()])
const visibilitySchema = z.enum(['Auto', 'Public', 'Private'])

const comparisonSchema = z.looseObject({
  id: z.string().optional(),
  variableId: z.string().optional(),
  comparisonOperator: z.string().optional(),
  value: z.string().optional(),
})
const conditionSchema = z.looseObject({
  logicalOperator: z.enum(['OR', 'AND']).optional(),
  comparisons: z.array(comparisonSchema).optional(),
})
export const displayConditionSchema = z.looseObject({
  isEnabled: z.boolean().optional(),
  condition: conditionSchema.optional(),
})

const placeholderLabelsSchema = z.looseObject({ placeholder: z.string().optional(), button: z.string().optional() })

export const textInputBlockSchema = z.object({
  ...blockBaseShape,
  type: z.literal('text input'),
  options: z
    .looseObject({
      labels: placeholderLabelsSchema.optional(),
      variableId: z.string().optional(),
      isLong: z.boolean().optional(),
      inputMode: z.enum(['text', 'decimal', 'numeric', 'tel', 'search', 'email', 'url']).optional(),
      audioClip: z
        .looseObject({
          isEnabled: z.boolean().optional(),
          saveVariableId: z.string().optional(),
          visibility: visibilitySchema.optional(),
        })
        .optional(),
      attachments: z
        .looseObject({
          isEnabled: z.boolean().optional(),
          saveVariableId: z.string().optional(),
          visibility: visibilitySchema.optional(),
        })
        .optional(),
    })
    .optional(),
})
export type TextInputBlock = z.infer<typeof textInputBlockSchema>

const retryableOptionsShape = {
  variableId: z.string().optional(),
  labels: placeholderLabelsSchema.optional(),
  retryMessageContent: z.string().optional(),
}

export const emailInputBlockSchema = z.object({
  ...blockBaseShape,
  type: z.literal('email input'),
  options: z.looseObject(retryableOptionsShape).optional(),
})
export type EmailInputBlock = z.infer<typeof emailInputBlockSchema>

export const urlInputBlockSchema = z.object({
  ...blockBaseShape,
  type: z.literal('url input'),
  options: z.looseObject(retryableOptionsShape).optional(),
})
export type UrlInputBlock = z.infer<typeof urlInputBlockSchema>

export const phoneNumberInputBlockSchema = z.object({
  ...blockBaseShape,
  type: z.literal('phone number input'),
  options: z.looseObject({ ...retryableOptionsShape, defaultCountryCode: z.string().optional() }).optional(),
})
export type PhoneNumberInputBlock = z.infer<typeof phoneNumberInputBlockSchema>

export const numberInputBlockSchema = z.object({
  ...blockBaseShape,
  type: z.literal('number input'),
  options: z
    .looseObject({
      variableId: z.string().optional(),
      labels: placeholderLabelsSchema.optional(),
      min: numberOrTemplateSchema.optional(),
      max: numberOrTemplateSchema.optional(),
      step: numberOrTemplateSchema.optional(),
      locale: z.string().optional(),
      style: z.enum(['decimal', 'currency', 'percent', 'unit']).optional(),
      currency: z.string().optional(),
      unit: z.string().optional(),
    })
    .optional(),
})
export type NumberInputBlock = z.infer<typeof numberInputBlockSchema>

export const dateInputBlockSchema = z.object({
  ...blockBaseShape,
  type: z.literal('date input'),
  options: z
    .looseObject({
      variableId: z.string().optional(),
      labels: z
        .looseObject({
          button: z.string().optional(),
          from: z.string().optional(),
          to: z.string().optional(),
          separator: z.string().optional(),
        })
        .optional(),
      hasTime: z.boolean().optional(),
      isRange: z.boolean().optional(),
      format: z.string().optional(),
      min: z.string().optional(),
      max: z.string().optional(),
    })
    .optional(),
})
export type DateInputBlock = z.infer<typeof dateInputBlockSchema>

export const timeInputBlockSchema = z.object({
  ...blockBaseShape,
  type: z.literal('time input'),
  options: z
    .looseObject({
      variableId: z.string().optional(),
      labels: z.looseObject({ button: z.string().optional() }).optional(),
      format: z.string().optional(),
    })
    .optional(),
})
export type TimeInputBlock = z.infer<typeof timeInputBlockSchema>

export const choiceItemSchema = z.object({
  id: z.string(),
  outgoingEdgeId: z.string().optional(),
  content: z.string().optional(),
  value: z.string().optional(),
  displayCondition: displayConditionSchema.optional(),
})
export type ChoiceItem = z.infer<typeof choiceItemSchema>

export const choiceInputBlockSchema = z.object({
  ...blockBaseShape,
  type: z.literal('choice input'),
  items: z.array(choiceItemSchema),
  options: z
    .looseObject({
      variableId: z.string().optional(),
      isMultipleChoice: z.boolean().optional(),
      buttonLabel: z.string().optional(),
      dynamicVariableId: z.string().optional(),
      isSearchable: z.boolean().optional(),
      searchInputPlaceholder: z.string().optional(),
      areInitialSearchButtonsVisible: z.boolean().optional(),
    })
    .optional(),
})
export type ChoiceInputBlock = z.infer<typeof choiceInputBlockSchema>

export const pictureChoiceItemSchema = z.object({
  id: z.string(),
  outgoingEdgeId: z.string().optional(),
  pictureSrc: z.string().optional(),
  title: z.string().optional(),
  description: z.string().optional(),
  value: z.string().optional(),
  displayCondition: displayConditionSchema.optional(),
})
export type PictureChoiceItem = z.infer<typeof pictureChoiceItemSchema>

export const pictureChoiceInputBlockSchema = z.object({
  ...blockBaseShape,
  type: z.literal('picture choice input'),
  items: z.array(pictureChoiceItemSchema),
  options: z
    .looseObject({
      variableId: z.string().optional(),
      isMultipleChoice: z.boolean().optional(),
      isSearchable: z.boolean().optional(),
      buttonLabel: z.string().optional(),
      searchInputPlaceholder: z.string().optional(),
      dynamicItems: z
        .looseObject({
          isEnabled: z.boolean().optional(),
          titlesVariableId: z.string().optional(),
          descriptionsVariableId: z.string().optional(),
          pictureSrcsVariableId: z.string().optional(),
        })
        .optional(),
    })
    .optional(),
})
export type PictureChoiceInputBlock = z.infer<typeof pictureChoiceInputBlockSchema>

export const ratingInputBlockSchema = z.object({
  ...blockBaseShape,
  type: z.literal('rating input'),
  options: z
    .looseObject({
      variableId: z.string().optional(),
      buttonType: z.enum(['Icons', 'Numbers']).optional(),
      length: z.number().optional(),
      startsAt: numberOrTemplateSchema.optional(),
      labels: z.looseObject({ left: z.string().optional(), right: z.string().optional(), button: z.string().optional() }).optional(),
      customIcon: z.looseObject({ isEnabled: z.boolean().optional(), svg: z.string().optional() }).optional(),
      isOneClickSubmitEnabled: z.boolean().optional(),
    })
    .optional(),
})
export type RatingInputBlock = z.infer<typeof ratingInputBlockSchema>

export const paymentInputBlockSchema = z.object({
  ...blockBaseShape,
  type: z.literal('payment input'),
  options: z
    .looseObject({
      variableId: z.string().optional(),
      provider: z.literal('Stripe').optional(),
      labels: z.looseObject({ button: z.string().optional(), success: z.string().optional() }).optional(),
      additionalInformation: z
        .looseObject({
          description: z.string().optional(),
          name: z.string().optional(),
          email: z.string().optional(),
          phoneNumber: z.string().optional(),
          address: z
            .looseObject({
              country: z.string().optional(),
              line1: z.string().optional(),
              line2: z.string().optional(),
              state: z.string().optional(),
              city: z.string().optional(),
              postalCode: z.string().optional(),
            })
            .optional(),
        })
        .optional(),
      credentialsId: z.string().optional(),
      currency: z.string().optional(),
      amount: z.string().optional(),
      retryMessageContent: z.string().optional(),
    })
    .optional(),
})
export type PaymentInputBlock = z.infer<typeof paymentInputBlockSchema>

export const fileInputBlockSchema = z.object({
  ...blockBaseShape,
  type: z.literal('file input'),
  options: z
    .looseObject({
      variableId: z.string().optional(),
      isRequired: z.boolean().optional(),
      isMultipleAllowed: z.boolean().optional(),
      labels: z
        .looseObject({
          placeholder: z.string().optional(),
          button: z.string().optional(),
          clear: z.string().optional(),
          skip: z.string().optional(),
          success: z.looseObject({ single: z.string().optional(), multiple: z.string().optional() }).optional(),
        })
        .optional(),
      allowedFileTypes: z.looseObject({ isEnabled: z.boolean().optional(), types: z.array(z.string()).optional() }).optional(),
      capture: z.enum(['environment', 'user']).optional(),
      visibility: visibilitySchema.optional(),
      sizeLimit: z.number().optional(),
    })
    .optional(),
})
export type FileInputBlock = z.infer<typeof fileInputBlockSchema>

export const cardPathSchema = z.object({
  id: z.string(),
  text: z.string().optional(),
  outgoingEdgeId: z.string().optional(),
})

export const cardsItemSchema = z.object({
  id: z.string(),
  outgoingEdgeId: z.string().optional(),
  imageUrl: z.string().nullish(),
  title: z.string().nullish(),
  description: z.string().nullish(),
  options: z
    .looseObject({
      displayCondition: z
        .looseObject({
          isEnabled: z.boolean().optional(),
          condition: z
            .looseObject({
              logicalOperator: z.enum(['OR', 'AND']).optional(),
              comparisons: z.array(comparisonSchema.nullable()).optional(),
            })
            .optional(),
        })
        .optional(),
      internalValue: z.string().nullish(),
    })
    .optional(),
  paths: z.array(cardPathSchema).optional(),
})
export type CardsItem = z.infer<typeof cardsItemSchema>

export const cardsFieldSchema = z.enum(['Image URL', 'Title', 'Description', 'Button', 'Internal Value'])

export const cardsInputBlockSchema = z.object({
  ...blockBaseShape,
  type: z.literal('cards'),
  items: z.array(cardsItemSchema),
  options: z
    .looseObject({
      variableId: z.string().optional(),
      saveResponseMapping: z.array(z.looseObject({ field: cardsFieldSchema.optional(), variableId: z.string().optional() })).optional(),
    })
    .optional(),
})
export type CardsInputBlock = z.infer<typeof cardsInputBlockSchema>

/** zod schemas of the inputs blocks, one per `type` string. */
export const inputBlockSchemas = [
  textInputBlockSchema,
  emailInputBlockSchema,
  numberInputBlockSchema,
  urlInputBlockSchema,
  phoneNumberInputBlockSchema,
  dateInputBlockSchema,
  timeInputBlockSchema,
  choiceInputBlockSchema,
  pictureChoiceInputBlockSchema,
  ratingInputBlockSchema,
  paymentInputBlockSchema,
  fileInputBlockSchema,
  cardsInputBlockSchema,
] as const satisfies readonly z.ZodObject[]

export type InputBlock = z.infer<(typeof inputBlockSchemas)[number]>
