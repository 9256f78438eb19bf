/**
 * Requests and responses of the management API, in the shapes of Typebot's Builder API
 * (`shared/reference/openapi/builder-api.json`). Response schemas hold no transforms: Fastify
 * encodes replies with them. A typebot's blocks are validated by `parseTypebot` in the
 * handlers (it migrates older exports first), so request schemas only type the top level.
 */
import { z } from 'zod'
import { findPublicIdProblem } from './public-id.js'

const timestampSchema = z.iso.datetime().describe('ISO 8601 date-time')
const looseRecordSchema = z.looseObject({})

// ---------------------------------------------------------------- workspaces

const workspaceRoleSchema = z.enum(['ADMIN', 'MEMBER', 'GUEST'])
const planSchema = z.enum(['FREE', 'STARTER', 'PRO', 'LIFETIME', 'OFFERED', 'CUSTOM', 'UNLIMITED', 'ENTERPRISE'])

export const workspaceSummarySchema = z.object({ id: z.string(), name: z.string(), icon: z.string().nullable(), plan: planSchema })

export const workspaceSchema = workspaceSummarySchema.extend({
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
  stripeId: z.null().describe('Always null: botflow has no billing'),
  settings: looseRecordSchema.nullable(),
  customChatsLimit: z.number().nullable(),
  customSeatsLimit: z.number().nullable(),
  isSuspended: z.boolean(),
  isPastDue: z.boolean(),
  isVerified: z.boolean().nullable(),
  chatsHardLimit: z.number().nullable(),
  lastActivityAt: timestampSchema.nullable(),
})
export type Workspace = z.infer<typeof workspaceSchema>

export const workspaceParamsSchema = z.object({ workspaceId: z.string().describe('Id of the workspace') })

export const listWorkspacesResponseSchema = z.object({ workspaces: z.array(workspaceSummarySchema) })

export const createWorkspaceRequestSchema = z.object({
  name: z.string().trim().min(1).max(100).describe('Name of the new workspace; the caller becomes its ADMIN'),
  icon: z.string().optional(),
})

export const createWorkspaceResponseSchema = z.object({ workspace: workspaceSchema })

const userModeSchema = z.enum(['read', 'write', 'guest'])

export const getWorkspaceResponseSchema = z.object({
  workspace: workspaceSchema,
  currentUserMode: userModeSchema.describe('write for an ADMIN, read for a MEMBER, guest for a GUEST'),
})

const userSummarySchema = z.object({ name: z.string().nullable(), email: z.string().nullable(), image: z.string().nullable() })

export const listMembersResponseSchema = z.object({
  members: z.array(z.object({ workspaceId: z.string(), userId: z.string(), user: userSummarySchema, role: workspaceRoleSchema })),
})

export const listInvitationsResponseSchema = z.object({
  invitations: z
    .array(
      z.object({ id: z.string(), createdAt: timestampSchema, updatedAt: timestampSchema, email: z.string(), type: workspaceRoleSchema }),
    )
    .describe('Always empty: botflow adds members directly (botflow workspace add-member) and sends no invitations'),
})

// ---------------------------------------------------------------- typebots

// Checked where a client sets it, not in the stored document: a typebot that already holds an id
// refused today stays editable.
const publicIdSchema = z
  .string()
  .superRefine((publicId, context) => {
    const problem = findPublicIdProblem(publicId)
    if (problem) context.addIssue({ code: 'custom', message: problem })
  })
  .describe('Identifier in public URLs (startChat, the chat page); unique across the server; not api, not starting with "."')

/** Top-level fields a client may set on create and PATCH; anything else is ignored, as in Typebot. */
const typebotFieldsShape = {
  version: z.enum(['6', '6.1']).optional(),
  name: z.string().optional(),
  icon: z.string().nullish(),
  selectedThemeTemplateId: z.string().nullish(),
  groups: z.array(looseRecordSchema).optional().describe('Groups of blocks (Typebot v6 schema)'),
  events: z.array(looseRecordSchema).optional().describe('Events; the first one is the start event'),
  edges: z.array(looseRecordSchema).optional(),
  variables: z.array(looseRecordSchema).optional(),
  theme: looseRecordSchema.optional(),
  settings: looseRecordSchema.optional(),
  folderId: z.string().nullish(),
  publicId: publicIdSchema.nullish(),
  customDomain: z.string().nullish(),
  resultsTablePreferences: looseRecordSchema.nullish(),
  isClosed: z.boolean().optional(),
  riskLevel: z.number().nullish(),
  whatsAppCredentialsId: z.string().nullish(),
  spaceId: z.string().nullish(),
}

export const typebotFieldsSchema = z.object(typebotFieldsShape)
export type TypebotFields = z.infer<typeof typebotFieldsSchema>

export const typebotPatchSchema = z.object({
  ...typebotFieldsShape,
  isArchived: z.boolean().optional(),
  updatedAt: z
    .string()
    .optional()
    .describe('The updatedAt the client last read: a newer stored draft makes the PATCH fail with 409 unless overwrite is true'),
})
export type TypebotPatchFields = z.infer<typeof typebotPatchSchema>

export const typebotParamsSchema = z.object({ typebotId: z.string().describe('Id of the typebot') })

/** A stored typebot as the API returns it. Blocks are kept whole, including unsupported ones. */
export const typebotDocumentSchema = z.looseObject({
  version: z.enum(['6', '6.1']),
  id: z.string(),
  name: z.string(),
  events: z.array(z.looseObject({ id: z.string(), type: z.string() })),
  groups: z.array(
    z.looseObject({
      id: z.string(),
      title: z.string(),
      blocks: z.array(z.looseObject({ id: z.string(), type: z.string() })),
    }),
  ),
  edges: z.array(z.looseObject({ id: z.string() })),
  variables: z.array(z.looseObject({ id: z.string(), name: z.string() })),
  theme: looseRecordSchema,
  settings: looseRecordSchema,
  selectedThemeTemplateId: z.string().nullable(),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
  icon: z.string().nullable(),
  folderId: z.string().nullable(),
  publicId: z.string().nullable(),
  customDomain: z.string().nullable(),
  workspaceId: z.string(),
  resultsTablePreferences: looseRecordSchema.nullable(),
  isArchived: z.boolean(),
  isClosed: z.boolean(),
  whatsAppCredentialsId: z.string().nullable(),
  riskLevel: z.number().nullable(),
  spaceId: z.string().nullable(),
})
export type TypebotDocumentResponse = z.infer<typeof typebotDocumentSchema>

const warningsSchema = z
  .array(z.string())
  .optional()
  .describe(
    'Blocks botflow stores but does not run (they are skipped with a log entry) and, in a list import, links to typebots outside the list; absent when there are none',
  )

export const createTypebotRequestSchema = z.object({
  workspaceId: z.string(),
  typebot: typebotFieldsSchema.default({}),
})

export const importTypebotRequestSchema = z
  .object({
    workspaceId: z.string(),
    typebot: looseRecordSchema
      .optional()
      .describe('A Typebot export (v3 to v6.1); older versions are migrated to 6.1. Its id and publicId are not kept'),
    typebots: z
      .array(looseRecordSchema)
      .min(1)
      .max(100)
      .optional()
      .describe('Instead of typebot: exports that link to each other; each Typebot link to the id one of them had points at its new id'),
  })
  .refine((body) => (body.typebot === undefined) !== (body.typebots === undefined), {
    message: 'Give either typebot or typebots',
    path: ['typebot'],
  })

export const typebotWithWarningsResponseSchema = z.object({ typebot: typebotDocumentSchema, warnings: warningsSchema })

export const importTypebotsResponseSchema = z.object({
  typebots: z.array(
    typebotWithWarningsResponseSchema.extend({
      sourceId: z.string().optional().describe('The id the typebot had in its export'),
    }),
  ),
})

export const listTypebotsQuerySchema = z.object({ workspaceId: z.string() })

export const listTypebotsResponseSchema = z.object({
  typebots: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      icon: z.string().nullable(),
      publicId: z.string().nullable(),
      spaceId: z.string().nullable(),
      createdAt: timestampSchema,
      publishedTypebotId: z.string().optional().describe('Id of the latest published version; absent when unpublished'),
      accessRight: userModeSchema,
    }),
  ),
})

export const getTypebotResponseSchema = z.object({ typebot: typebotDocumentSchema, currentUserMode: userModeSchema })

export const updateTypebotRequestSchema = z.object({
  typebot: typebotPatchSchema,
  overwrite: z.boolean().optional().describe('Save even when the stored draft is newer than typebot.updatedAt'),
})

export const successResponseSchema = z.object({ message: z.literal('success') })

export const publishTypebotRequestSchema = z.object({
  updateOngoingSessions: z
    .boolean()
    .optional()
    .describe('Move every running session of this typebot to the new version (answers, variables and position are kept)'),
})

export const publishTypebotResponseSchema = successResponseSchema.extend({
  updatedSessions: z.number().int().optional().describe('Sessions moved to the new version; only with updateOngoingSessions'),
})

export const publishedTypebotResponseSchema = z.object({
  publishedTypebot: z.looseObject({
    id: z.string().describe('Id of this published version'),
    typebotId: z.string(),
    version: z.enum(['6', '6.1']),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
    groups: z.array(looseRecordSchema),
    events: z.array(looseRecordSchema),
    edges: z.array(looseRecordSchema),
    variables: z.array(looseRecordSchema),
    theme: looseRecordSchema,
    settings: looseRecordSchema,
  }),
})

const collaborationTypeSchema = z.enum(['READ', 'WRITE', 'FULL_ACCESS'])

export const collaboratorSchema = z.object({
  type: collaborationTypeSchema,
  userId: z.string(),
  typebotId: z.string(),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
  user: userSummarySchema,
})

export const listCollaboratorsResponseSchema = z.object({ collaborators: z.array(collaboratorSchema) })

export const addCollaboratorRequestSchema = z.object({
  email: z.email().describe('A user with this email is created when there is none'),
  type: collaborationTypeSchema.describe('READ can read; WRITE and FULL_ACCESS can also edit, publish and delete'),
})

export const addCollaboratorResponseSchema = z.object({ collaborator: collaboratorSchema })

export const listLinkedTypebotsResponseSchema = z.object({
  typebots: z
    .array(
      z.object({
        id: z.string().describe('botflow adds the id; Typebot sends only the four other fields'),
        name: z.string(),
        version: z.enum(['6', '6.1']),
        groups: z.array(looseRecordSchema),
        variables: z.array(looseRecordSchema),
      }),
    )
    .describe(
      'Drafts of the typebots its Typebot link blocks point at (unless mergeResults is false) that the caller may read, newest first',
    ),
})

// ---------------------------------------------------------------- API tokens

const apiTokenSchema = z.object({ id: z.string(), name: z.string(), createdAt: timestampSchema })

export const listApiTokensResponseSchema = z.object({ apiTokens: z.array(apiTokenSchema) })

export const createApiTokenRequestSchema = z.object({
  name: z.string().trim().min(1).max(100).describe('A label to recognise the token by'),
})

export const createApiTokenResponseSchema = z.object({
  apiToken: apiTokenSchema.extend({ token: z.string().describe('The secret: shown this once, only its hash is stored') }),
})

export const apiTokenParamsSchema = z.object({ tokenId: z.string() })

export const deleteApiTokenResponseSchema = z.object({
  apiToken: apiTokenSchema.extend({ ownerId: z.string() }).describe('The deleted token (never its secret)'),
})

// ---------------------------------------------------------------- results

export const resultParamsSchema = typebotParamsSchema.extend({ resultId: z.string() })

/** Typebot's periods of results, in the caller's calendar (results/time-filter.ts). */
export const timeFilterValues = ['today', 'last7Days', 'last30Days', 'monthToDate', 'lastMonth', 'yearToDate', 'allTime'] as const
export type TimeFilter = (typeof timeFilterValues)[number]

export const listResultsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z
    .string()
    .optional()
    .describe("nextCursor of the previous page; a number is Typebot's offset cursor (the page starts after that many results)"),
  timeFilter: z
    .enum(timeFilterValues)
    .default('allTime')
    .describe("Only results created in this period of the caller's calendar (see timeZone). Default: allTime (Typebot: last7Days)"),
  timeZone: z.string().optional().describe('IANA time zone of the calendar of timeFilter (default UTC), e.g. Europe/Paris'),
})

export const statsQuerySchema = z.object({
  timeFilter: z
    .enum(timeFilterValues)
    .default('last7Days')
    .describe("Only results created in this period of the caller's calendar (see timeZone). Default: last7Days, as in Typebot"),
  timeZone: listResultsQuerySchema.shape.timeZone,
})

export const statsResponseSchema = z.object({
  stats: z.object({
    totalViews: z.number().int().describe('Results created (a chat was started)'),
    totalStarts: z.number().int().describe('Results with at least one answer'),
    totalCompleted: z.number().int().describe('Results whose conversation reached its end'),
  }),
})

export const exportResultsQuerySchema = z.object({
  format: z.enum(['csv', 'ndjson']).default('csv'),
  timeFilter: listResultsQuerySchema.shape.timeFilter,
  timeZone: listResultsQuerySchema.shape.timeZone,
  includeDeletedBlocks: z
    .enum(['true', 'false'])
    .optional()
    .describe('CSV: also a column per block that answers refer to but the typebot no longer has'),
})

const resultSchema = z.object({
  id: z.string(),
  createdAt: timestampSchema,
  typebotId: z.string(),
  variables: z.array(
    z.looseObject({
      id: z.string(),
      name: z.string(),
      value: z.union([z.string(), z.array(z.string().nullable())]),
    }),
  ),
  isCompleted: z.boolean(),
  hasStarted: z.boolean().nullable(),
  isArchived: z.boolean().nullable(),
  lastChatSessionId: z.string().nullable(),
  answers: z.array(
    z.object({ blockId: z.string(), content: z.string(), createdAt: timestampSchema, attachedFileUrls: z.array(z.string()).optional() }),
  ),
})

export const listResultsResponseSchema = z.object({
  results: z.array(resultSchema).describe('Newest first'),
  nextCursor: z
    .union([z.string(), z.number()])
    .optional()
    .describe('Pass as cursor to get the next page (a number when the request used an offset cursor); absent on the last page'),
})

export const getResultResponseSchema = z.object({ result: resultSchema })

export const listLogsResponseSchema = z.object({
  logs: z.array(
    z.object({
      id: z.string(),
      createdAt: timestampSchema,
      resultId: z.string(),
      status: z.string(),
      description: z.string(),
      details: z.string().nullable(),
      context: z.string().nullable(),
    }),
  ),
})

export const deleteResultsQuerySchema = z.object({
  resultIds: z.string().optional().describe('Comma separated list of ids. If not provided, all results of the typebot are deleted'),
})

/**
 * Typebot's document sends `resultIds` in the body. Strict: an unknown field (a typo such as
 * `ids`) is a 400, never a request that falls through to "delete every result".
 */
export const deleteResultsBodySchema = z.strictObject({
  resultIds: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .describe('Comma separated list of ids (or a list). Without resultIds in the body or the query, all results are deleted'),
  typebotId: z.string().optional().describe('Ignored: the path names the typebot (Typebot clients may repeat it here)'),
})

export const deleteResultsResponseSchema = successResponseSchema.extend({ deletedCount: z.number().int() })

export const resultTranscriptResponseSchema = z.object({
  transcript: z.array(
    z.union([
      z.object({ role: z.enum(['bot', 'user']), type: z.literal('text'), text: z.string() }),
      z.object({ role: z.enum(['bot', 'user']), type: z.literal('image'), image: z.string() }),
      z.object({ role: z.enum(['bot', 'user']), type: z.literal('video'), video: z.string() }),
      z.object({ role: z.enum(['bot', 'user']), type: z.literal('audio'), audio: z.string() }),
    ]),
  ),
})
