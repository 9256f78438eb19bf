import { z } from 'zod'

/** zod schemas of the integrations blocks, one per `type` string; filled in with the block handlers. */
export const integrationBlockSchemas = [] as const satisfies readonly z.ZodObject[]
