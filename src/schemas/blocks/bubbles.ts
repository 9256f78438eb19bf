import { z } from 'zod'

/** zod schemas of the bubbles blocks, one per `type` string; filled in with the block handlers. */
export const bubbleBlockSchemas = [] as const satisfies readonly z.ZodObject[]
