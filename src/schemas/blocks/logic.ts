import { z } from 'zod'

/** zod schemas of the logic blocks, one per `type` string; filled in with the block handlers. */
export const logicBlockSchemas = [] as const satisfies readonly z.ZodObject[]
