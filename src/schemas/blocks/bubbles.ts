import { z } from 'zod'

/** A rich-text node (Slate/Plate JSON): an element with children or a leaf with text. */
export type RichTextNodeInput = {
  type?: string
  text?: string
  children?: RichTextNodeInput[]
  url?: string
  bold?: boolean
  italic?: boolean
  underline?: boolean
  [key: string]: unknown
}

// Plate adds element and mark fields over time (ids, alignment, colours): unknown fields are kept.
export const richTextNodeSchema: z.ZodType<RichTextNodeInput> = z.looseObject({
  type: z.string().optional(),
  text: z.string().optional(),
  get children() {
    return z.array(richTextNodeSchema).optional()
  },
  url: z.string().optional(),
  bold: z.boolean().optional(),
  italic: z.boolean().optional(),
  underline: z.boolean().optional(),
})

const blockBaseShape = { id: z.string(), outgoingEdgeId: z.string().optional() }

/** Height given as pixels or as a `{{variable}}` to substitute. */
const numberOrTemplateSchema = z.union([z.number(), z.string()])

export const textBubbleBlockSchema = z.object({
  ...blockBaseShape,
  type: z.literal('text'),
  content: z
    .looseObject({
      richText: z.array(richTextNodeSchema).optional(),
      html: z.string().optional(),
      plainText: z.string().optional(),
    })
    .optional(),
})
export type TextBubbleBlock = z.infer<typeof textBubbleBlockSchema>

export const imageBubbleBlockSchema = z.object({
  ...blockBaseShape,
  type: z.literal('image'),
  content: z
    .looseObject({
      url: z.string().optional(),
      clickLink: z.looseObject({ url: z.string().optional(), alt: z.string().optional() }).optional(),
    })
    .optional(),
})
export type ImageBubbleBlock = z.infer<typeof imageBubbleBlockSchema>

export const videoBubbleBlockSchema = z.object({
  ...blockBaseShape,
  type: z.literal('video'),
  content: z
    .looseObject({
      url: z.string().optional(),
      id: z.string().optional(),
      type: z.string().optional(),
      height: numberOrTemplateSchema.optional(),
      aspectRatio: z.string().optional(),
      maxWidth: z.string().optional(),
      queryParamsStr: z.string().optional(),
      areControlsDisplayed: z.boolean().optional(),
      isAutoplayEnabled: z.boolean().optional(),
    })
    .optional(),
})
export type VideoBubbleBlock = z.infer<typeof videoBubbleBlockSchema>

export const audioBubbleBlockSchema = z.object({
  ...blockBaseShape,
  type: z.literal('audio'),
  content: z.looseObject({ url: z.string().optional(), isAutoplayEnabled: z.boolean().optional() }).optional(),
})
export type AudioBubbleBlock = z.infer<typeof audioBubbleBlockSchema>

export const embedBubbleBlockSchema = z.object({
  ...blockBaseShape,
  type: z.literal('embed'),
  content: z
    .looseObject({
      url: z.string().optional(),
      height: numberOrTemplateSchema.optional(),
      waitForEvent: z
        .looseObject({
          isEnabled: z.boolean().optional(),
          name: z.string().optional(),
          saveDataInVariableId: z.string().optional(),
        })
        .optional(),
    })
    .optional(),
})
export type EmbedBubbleBlock = z.infer<typeof embedBubbleBlockSchema>

/** zod schemas of the bubbles blocks, one per `type` string. */
export const bubbleBlockSchemas = [
  textBubbleBlockSchema,
  imageBubbleBlockSchema,
  videoBubbleBlockSchema,
  audioBubbleBlockSchema,
  embedBubbleBlockSchema,
] as const satisfies readonly z.ZodObject[]

export type BubbleBlock = z.infer<(typeof bubbleBlockSchemas)[number]>
