import { z } from 'zod'

/** zod schemas of the inputs blocks, one per `type` string; filled in with the block handlers. */
export const inputBlockSchemas = [] as const satisfies readonly z.ZodObject[]
