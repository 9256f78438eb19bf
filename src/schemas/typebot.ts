import { z } from 'zod'
import type { KnownBlock } from './blocks/index.js'

// Placeholder: the full typebot v6 schema (groups, events, theme, settings, block dispatch) lands here.

export const variableSchema = z.object({
  id: z.string(),
  name: z.string(),
  value: z.union([z.string(), z.array(z.string().nullable()), z.null()]).optional(),
  isSessionVariable: z.boolean().optional(),
})
export type Variable = z.infer<typeof variableSchema>

export const edgeSchema = z.object({
  id: z.string(),
  from: z.looseObject({}),
  to: z.object({ groupId: z.string(), blockId: z.string().optional() }),
})
export type Edge = z.infer<typeof edgeSchema>

/** A block whose type botflow does not run (AI and other integrations): kept, skipped with a log. */
export type UnsupportedBlock = { id: string; type: string & {}; outgoingEdgeId?: string; isUnsupported: true }

export type Block = KnownBlock | UnsupportedBlock

export type Group = {
  id: string
  title: string
  graphCoordinates?: { x: number; y: number }
  blocks: Block[]
}

export type TypebotEvent = {
  id: string
  type: 'start' | 'command' | 'reply' | 'invalidReply'
  outgoingEdgeId?: string
  graphCoordinates?: { x: number; y: number }
  options?: Record<string, unknown>
}
