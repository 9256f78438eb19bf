import { z } from 'zod'

/**
 * Typebot's forged AI blocks (`openai`, `anthropic`, ...; runtime spec §7.5.2). Their options are
 * kept as they are: the forge adds fields often, and an import must never fail on one. The
 * handlers read them leniently (engine/blocks/integrations/ai/parse-ai-options.ts).
 */
/** The forged AI block types, each named after its provider (and its credentials type). */
export const aiProviders = ['openai', 'open-router', 'together-ai', 'mistral', 'groq', 'perplexity', 'deepseek', 'anthropic'] as const

function forgedAiBlockSchema<T extends string>(type: T) {
  return z.object({
    id: z.string(),
    outgoingEdgeId: z.string().optional(),
    type: z.literal(type),
    options: z
      .looseObject({})
      .nullish()
      .transform((value) => value ?? undefined)
      .optional(),
  })
}

export const forgedAiBlockSchemas = aiProviders.map((type) => forgedAiBlockSchema(type))

export type ForgedAiBlock = z.infer<ReturnType<typeof forgedAiBlockSchema<(typeof aiProviders)[number]>>>
