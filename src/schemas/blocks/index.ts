import type { z } from 'zod'
import { forgedAiBlockSchemas } from './ai.js'
import { bubbleBlockSchemas } from './bubbles.js'
import { inputBlockSchemas } from './inputs.js'
import { integrationBlockSchemas } from './integrations.js'
import { logicBlockSchemas } from './logic.js'

const knownBlockSchemas = [
  ...bubbleBlockSchemas,
  ...inputBlockSchemas,
  ...logicBlockSchemas,
  ...integrationBlockSchemas,
  ...forgedAiBlockSchemas,
] as const

/** Every block type botflow knows and validates, keyed by its `type` string. */
export const blockSchemasByType: ReadonlyMap<string, z.ZodObject> = new Map(
  (knownBlockSchemas as readonly z.ZodObject[]).map((schema) => [blockTypeOf(schema), schema]),
)

function blockTypeOf(schema: z.ZodObject): string {
  const type = schema.shape.type
  if (!type || !('value' in type) || typeof type.value !== 'string') throw new Error('block schema without a literal type')
  return type.value
}

export type KnownBlock = z.infer<(typeof knownBlockSchemas)[number]>
