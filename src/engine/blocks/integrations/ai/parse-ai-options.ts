/**
 * Reads the options of the AI blocks (Typebot's forged AI blocks and the legacy v5 `OpenAI` block)
 * leniently: a field of an unexpected shape reads as absent instead of failing the block, since
 * exports of every Typebot version must run.
 */
import { z } from 'zod'

const text = z.string().optional().catch(undefined)
const flag = z.boolean().optional().catch(undefined)
/** Typebot's number fields hold a number or a `{{Variable}}` string. */
const numberOrText = z.union([z.number(), z.string()]).optional().catch(undefined)

function listOf<T extends z.ZodType>(item: T) {
  return z
    .array(z.unknown())
    .optional()
    .catch(undefined)
    .transform((items) =>
      items?.flatMap((candidate) => {
        const parsed = item.safeParse(candidate)
        return parsed.success ? [parsed.data] : []
      }),
    )
}

const messageSchema = z.looseObject({
  role: text,
  /** A string, or for the legacy "Messages sequence ✨" role the two list variables. */
  content: z.unknown().optional(),
  dialogueVariableId: text,
  startsBy: text,
})
export type AiMessageOption = z.infer<typeof messageSchema>

const toolParameterSchema = z.looseObject({
  type: text,
  name: text,
  description: text,
  required: flag,
  values: listOf(z.string()),
})

const toolSchema = z.looseObject({ type: text, name: text, description: text, parameters: listOf(toolParameterSchema), code: text })
export type AiToolOption = z.infer<typeof toolSchema>

const responseMappingSchema = z.looseObject({
  item: text,
  /** The legacy block's name for `item`. */
  valueToExtract: text,
  variableId: text,
})
export type AiResponseMapping = z.infer<typeof responseMappingSchema>

const variableToExtractSchema = z.looseObject({
  type: text,
  variableId: text,
  description: text,
  isRequired: flag,
  values: listOf(z.string()),
})
export type VariableToExtract = z.infer<typeof variableToExtractSchema>

export const aiOptionsSchema = z.looseObject({
  action: text,
  /** The legacy block's action. */
  task: text,
  credentialsId: text,
  model: text,
  baseUrl: text,
  apiVersion: text,
  messages: listOf(messageSchema),
  tools: listOf(toolSchema),
  temperature: numberOrText,
  maxTokens: numberOrText,
  systemMessage: text,
  responseMapping: listOf(responseMappingSchema),
  advancedSettings: z.looseObject({ temperature: numberOrText }).optional().catch(undefined),
  // Generate variables
  prompt: text,
  variablesToExtract: listOf(variableToExtractSchema),
  // Create speech
  input: text,
  voice: text,
  instructions: text,
  saveUrlInVariableId: text,
  // Create transcription
  url: text,
  transcriptionVariableId: text,
  // Ask Model
  message: text,
  responseIdVariableId: text,
  functions: listOf(toolSchema),
  fileSearchVectorStoreIds: listOf(z.string()),
  fileSearchMaxNumResults: numberOrText,
  fileSearchScoreThreshold: numberOrText,
  webSearchEnabled: flag,
  codeInterpreterEnabled: flag,
})

export type AiOptions = z.infer<typeof aiOptionsSchema>

export function parseAiOptions(options: unknown): AiOptions | undefined {
  const parsed = aiOptionsSchema.safeParse(options)
  return parsed.success ? parsed.data : undefined
}
