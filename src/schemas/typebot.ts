/**
 * The typebot document as botflow imports and stores it: Typebot's v6/6.1 export format
 * (docs/runtime.md §1). Older exports are brought to 6.1 by `migrateTypebot` first. Blocks are
 * validated by the schema of their `type` (`blockSchemasByType`); blocks of any other type are
 * kept as `UnsupportedBlock`s so a document round-trips, and the engine skips them.
 */
import { z } from 'zod'
import { blockSchemasByType, type KnownBlock } from './blocks/index.js'
import { migrateTypebot } from './migrate-typebot.js'

const coordinatesSchema = z.object({ x: z.number(), y: z.number() })

export const variableSchema = z.object({
  id: z.string(),
  name: z.string(),
  value: z.union([z.string(), z.array(z.string().nullable()), z.null()]).optional(),
  isSessionVariable: z.boolean().optional(),
})
export type Variable = z.infer<typeof variableSchema>

export const edgeSchema = z.object({
  id: z.string(),
  from: z.union(
    [z.object({ eventId: z.string() }), z.object({ blockId: z.string(), itemId: z.string().optional(), pathId: z.string().optional() })],
    { error: 'Invalid edge source: expected { eventId } or { blockId, itemId?, pathId? }' },
  ),
  to: z.object({ groupId: z.string(), blockId: z.string().optional() }),
})
export type Edge = z.infer<typeof edgeSchema>

const replyEventOptionsSchema = z.object({
  contentVariableId: z.string().optional(),
  inputNameVariableId: z.string().optional(),
  inputTypeVariableId: z.string().optional(),
})
const eventOptionsSchemaByType = {
  start: z.object({}),
  command: z.object({ command: z.string().optional(), resumeAfter: z.boolean().optional() }),
  reply: replyEventOptionsSchema,
  invalidReply: replyEventOptionsSchema,
}

// The engine reads `options` of any event as a record, so the type stays flat; each event type
// still has its options checked.
export const typebotEventSchema = z
  .object({
    id: z.string(),
    type: z.enum(['start', 'command', 'reply', 'invalidReply']),
    outgoingEdgeId: z.string().optional(),
    graphCoordinates: coordinatesSchema.optional(),
    options: z.looseObject({}).optional(),
  })
  .superRefine((event, ctx) => {
    if (event.options === undefined) return
    const result = eventOptionsSchemaByType[event.type].safeParse(event.options)
    for (const { message, path } of result.error?.issues ?? []) ctx.addIssue({ code: 'custom', message, path: ['options', ...path] })
  })
export type TypebotEvent = z.infer<typeof typebotEventSchema>

// Typebot's own schema types events as [StartEvent, ...DraggableEvent[]]: one start event, first.
const eventsSchema = z.array(typebotEventSchema).superRefine((events, ctx) => {
  if (events[0]?.type !== 'start')
    ctx.addIssue({
      code: 'custom',
      path: events.length > 0 ? [0, 'type'] : [],
      message: 'The first event must be the start event (v3-v5 typebots: a block of type "start")',
    })
  events.forEach((event, index) => {
    if (index > 0 && event.type === 'start')
      ctx.addIssue({ code: 'custom', path: [index, 'type'], message: 'Only the first event can be a start event' })
  })
})

/** A block with the fields the engine needs, whatever its type. */
export type StoredUnsupportedBlock = { id: string; type: string & {}; outgoingEdgeId?: string; [field: string]: unknown }

/** A block whose type botflow does not run (AI and other integrations): kept, skipped with a log. */
export type UnsupportedBlock = StoredUnsupportedBlock & { isUnsupported: true }

export type Block = KnownBlock | UnsupportedBlock

export function isUnsupportedBlock(block: Block): block is UnsupportedBlock {
  return 'isUnsupported' in block && block.isUnsupported === true
}

/**
 * Validates a block with the schema registered for its `type`; a type without one becomes an
 * `UnsupportedBlock` that keeps all its fields. Issues keep their paths inside the document.
 */
export function createBlockSchema(schemasByType: ReadonlyMap<string, z.ZodObject>) {
  return z.looseObject({ id: z.string(), type: z.string(), outgoingEdgeId: z.string().optional() }).transform((fields, ctx): Block => {
    const schema = schemasByType.get(fields.type)
    if (!schema) return { ...fields, isUnsupported: true }
    // A stale marker must not make a block of a known type look unsupported.
    const { isUnsupported: _staleMarker, ...known } = fields
    const result = schema.safeParse(known)
    // The map is keyed by each schema's own literal `type`: its output is that KnownBlock member.
    if (result.success) return result.data as KnownBlock
    for (const { message, path } of result.error.issues) ctx.addIssue({ code: 'custom', message, path, input: fields })
    return z.NEVER
  })
}

export const blockSchema = createBlockSchema(blockSchemasByType)

export const groupSchema = z.object({
  id: z.string(),
  title: z.string().default(''),
  graphCoordinates: coordinatesSchema.optional(),
  blocks: z.array(blockSchema),
})
export type Group = z.infer<typeof groupSchema>

const avatarSchema = z.looseObject({ isEnabled: z.boolean().optional(), url: z.string().optional() })

/** Theme (§1.7): typed where the server reads it, everything else kept for the client. */
export const themeSchema = z.looseObject({
  general: z
    .looseObject({
      font: z.union([z.string(), z.looseObject({ type: z.enum(['Google', 'Custom']), family: z.string().optional() })]).optional(),
      background: z.looseObject({ type: z.enum(['Color', 'Image', 'None']).optional(), content: z.string().optional() }).optional(),
      progressBar: z
        .looseObject({
          isEnabled: z.boolean().optional(),
          color: z.string().optional(),
          backgroundColor: z.string().optional(),
          placement: z.enum(['Top', 'Bottom']).optional(),
          thickness: z.number().optional(),
          position: z.enum(['fixed', 'absolute']).optional(),
        })
        .optional(),
    })
    .optional(),
  chat: z
    .looseObject({
      hostAvatar: avatarSchema.optional(),
      guestAvatar: avatarSchema.optional(),
      buttonsInput: z.looseObject({ layout: z.enum(['wrap', 'vertical']).optional() }).optional(),
    })
    .optional(),
  customCss: z.string().optional(),
})
export type Theme = z.infer<typeof themeSchema>

const systemMessagesSchema = z.looseObject({
  invalidMessage: z.string().optional(),
  botClosed: z.string().optional(),
  networkErrorTitle: z.string().optional(),
  networkErrorMessage: z.string().optional(),
  popupBlockedTitle: z.string().optional(),
  popupBlockedDescription: z.string().optional(),
  popupBlockedButtonLabel: z.string().optional(),
  fileUploadError: z.string().optional(),
  fileUploadSizeError: z.string().optional(),
  whatsAppPictureChoiceSelectLabel: z.string().optional(),
})

/** Settings (§1.6): typed where the server reads them, everything else kept for the client. */
export const settingsSchema = z.looseObject({
  general: z
    .looseObject({
      isBrandingEnabled: z.boolean().optional(),
      isTypingEmulationEnabled: z.boolean().optional(),
      isInputPrefillEnabled: z.boolean().optional(),
      isHideQueryParamsEnabled: z.boolean().optional(),
      isNewResultOnRefreshEnabled: z.boolean().optional(),
      rememberUser: z.looseObject({ isEnabled: z.boolean().optional(), storage: z.enum(['session', 'local']).optional() }).optional(),
      systemMessages: systemMessagesSchema.optional(),
    })
    .optional(),
  typingEmulation: z
    .looseObject({
      enabled: z.boolean().optional(),
      speed: z.number().optional(),
      maxDelay: z.number().optional(),
      delayBetweenBubbles: z.number().min(0).max(5).optional(),
      isDisabledOnFirstMessage: z.boolean().optional(),
    })
    .optional(),
  metadata: z
    .looseObject({
      title: z.string().optional(),
      description: z.string().optional(),
      imageUrl: z.string().optional(),
      favIconUrl: z.string().optional(),
      customHeadCode: z.string().optional(),
      googleTagManagerId: z.string().optional(),
      allowIndexing: z.boolean().optional(),
    })
    .optional(),
  whatsApp: z.looseObject({ sessionExpiryTimeout: z.number().min(0.01).max(48).optional() }).optional(),
  publicShare: z.looseObject({ isEnabled: z.boolean().optional() }).optional(),
  security: z.looseObject({ allowedOrigins: z.array(z.string()).optional() }).optional(),
})
export type Settings = z.infer<typeof settingsSchema>

const nullableString = z.string().nullish()

/**
 * A v6/6.1 typebot. Builder-only fields of a draft export are accepted (and unknown top-level
 * fields kept) so that an export can be stored and handed back without losing anything.
 */
export const typebotSchema = z.looseObject({
  version: z.enum(['6', '6.1']),
  id: z.string(),
  name: z.string().default(''),
  events: eventsSchema,
  groups: z.array(groupSchema),
  edges: z.array(edgeSchema).default([]),
  variables: z.array(variableSchema).default([]),
  theme: themeSchema.default({}),
  settings: settingsSchema.default({}),
  publicId: z
    .string()
    .regex(/^[a-zA-Z0-9-.]+$/, 'A public id may only hold letters, digits, "-" and "."')
    .nullish(),
  customDomain: nullableString,
  workspaceId: z.string().optional(),
  isArchived: z.boolean().optional(),
  isClosed: z.boolean().optional(),
  icon: nullableString,
  folderId: nullableString,
  spaceId: nullableString,
  selectedThemeTemplateId: nullableString,
  whatsAppCredentialsId: nullableString,
  resultsTablePreferences: z.looseObject({}).nullish(),
  riskLevel: z.number().nullish(),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
})
export type TypebotDocument = z.infer<typeof typebotSchema>

export type TypebotIssue = { message: string; path: (string | number)[] }

export type ParseTypebotResult =
  | { success: true; typebot: TypebotDocument; warnings: string[] }
  | { success: false; issues: TypebotIssue[] }

/**
 * Turns any typebot export (v3 to v6.1) into a `TypebotDocument`: migrates it to 6.1, then
 * validates it. Never throws: structural problems come back as issues with their paths, blocks
 * botflow does not run as warnings.
 */
export function parseTypebot(input: unknown): ParseTypebotResult {
  const result = typebotSchema.safeParse(migrateTypebot(input))
  if (!result.success)
    return {
      success: false,
      issues: result.error.issues.map((issue) => ({
        message: issue.message,
        path: issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key)),
      })),
    }
  return { success: true, typebot: result.data, warnings: findUnsupportedBlockWarnings(result.data) }
}

function findUnsupportedBlockWarnings(typebot: TypebotDocument): string[] {
  return typebot.groups.flatMap((group) =>
    group.blocks
      .filter(isUnsupportedBlock)
      .map(
        (block) => `Block "${block.id}" in group "${group.title}" has type "${block.type}", which botflow does not run: it will be skipped`,
      ),
  )
}

// Not `Omit`: it would drop every named field of a type that has an index signature.
type WithoutGroups<T> = { [K in keyof T as K extends 'groups' ? never : K]: T[K] }

export type StoredTypebot = WithoutGroups<TypebotDocument> & {
  groups: (Omit<Group, 'blocks'> & { blocks: (KnownBlock | StoredUnsupportedBlock)[] })[]
}

/** The document as it is written to storage: unsupported blocks lose their runtime marker. */
export function toStoredTypebot(typebot: TypebotDocument): StoredTypebot {
  return {
    ...typebot,
    groups: typebot.groups.map((group) => ({ ...group, blocks: group.blocks.map(toStoredBlock) })),
  }
}

function toStoredBlock(block: Block): KnownBlock | StoredUnsupportedBlock {
  if (!isUnsupportedBlock(block)) return block
  const { isUnsupported: _marker, ...fields } = block
  return fields
}
