import { z } from 'zod'
import { assertCanGrantCollaboration, assertWorkspaceRole, requireTypebotAccess } from '../../access.js'
import { AppError } from '../../errors.js'
import {
  addCollaboratorRequestSchema,
  addCollaboratorResponseSchema,
  createTypebotRequestSchema,
  getTypebotResponseSchema,
  importTypebotRequestSchema,
  importTypebotsResponseSchema,
  listCollaboratorsResponseSchema,
  listLinkedTypebotsResponseSchema,
  listTypebotsQuerySchema,
  listTypebotsResponseSchema,
  publishedTypebotResponseSchema,
  publishTypebotRequestSchema,
  publishTypebotResponseSchema,
  successResponseSchema,
  typebotParamsSchema,
  typebotWithWarningsResponseSchema,
  updateTypebotRequestSchema,
} from '../../schemas/management-api.js'
import type { CollaboratorRecord } from '../../storage/store.js'
import { addCollaborator } from '../../typebots/add-collaborator.js'
import { createTypebot, type SavedTypebot } from '../../typebots/create-typebot.js'
import { deleteTypebot } from '../../typebots/delete-typebot.js'
import { findTypebotUserMode } from '../../typebots/find-user-mode.js'
import { importTypebot, importTypebots } from '../../typebots/import-typebot.js'
import { listLinkedTypebots } from '../../typebots/list-linked-typebots.js'
import { publishTypebot } from '../../typebots/publish-typebot.js'
import { toTypebotDocument } from '../../typebots/to-typebot-document.js'
import { updateTypebot } from '../../typebots/update-typebot.js'
import type { AppDeps } from '../app.js'
import { bearerSecurity, createUserGuard } from '../require-user.js'
import type { TypedApp } from '../typed-app.js'

/** Who may create typebots in a workspace: its ADMINs and MEMBERs. */
const editorRoles = ['ADMIN', 'MEMBER'] as const
const allRoles = ['ADMIN', 'MEMBER', 'GUEST'] as const

export function registerTypebotRoutes(app: TypedApp, deps: AppDeps) {
  const { store } = deps
  const guard = createUserGuard(store)
  const tags = ['Typebot']
  const protectedRoute = { onRequest: guard.onRequest }

  app.post(
    '/v1/typebots',
    {
      ...protectedRoute,
      schema: {
        summary: 'Create a typebot',
        description: 'An empty 6.1 typebot (one start event) with the given fields. Needs the ADMIN or MEMBER role in the workspace.',
        tags,
        security: bearerSecurity,
        body: createTypebotRequestSchema,
        response: { 200: typebotWithWarningsResponseSchema },
      },
    },
    async (request) => {
      await assertWorkspaceRole(store, guard.userOf(request), request.body.workspaceId, editorRoles)
      return toSavedResponse(await createTypebot(store, request.body))
    },
  )

  app.post(
    '/v1/typebots/import',
    {
      ...protectedRoute,
      schema: {
        summary: 'Import a typebot',
        description:
          'Stores an export as a new typebot (new id, no publicId). Versions 3 to 5 are migrated to 6.1. With `typebots`, imports several that link to each other: Typebot links between them follow the new ids.',
        tags,
        security: bearerSecurity,
        body: importTypebotRequestSchema,
        response: { 200: z.union([typebotWithWarningsResponseSchema, importTypebotsResponseSchema]) },
      },
    },
    async (request) => {
      const body = request.body
      await assertWorkspaceRole(store, guard.userOf(request), body.workspaceId, editorRoles)
      if (body.typebot) return toSavedResponse(await importTypebot(store, { workspaceId: body.workspaceId, typebot: body.typebot }))
      const imported = await importTypebots(store, { workspaceId: body.workspaceId, typebots: body.typebots ?? [] })
      return {
        typebots: imported.map((saved) => ({ ...toSavedResponse(saved), ...(saved.sourceId ? { sourceId: saved.sourceId } : {}) })),
      }
    },
  )

  app.get(
    '/v1/typebots',
    {
      ...protectedRoute,
      schema: {
        summary: 'List typebots',
        description: 'The typebots of a workspace the caller is a member of, newest first; archived ones are left out.',
        tags,
        security: bearerSecurity,
        querystring: listTypebotsQuerySchema,
        response: { 200: listTypebotsResponseSchema },
      },
    },
    async (request) => {
      const user = guard.userOf(request)
      const role = await assertWorkspaceRole(store, user, request.query.workspaceId, allRoles)
      const typebots = (await store.listTypebots(request.query.workspaceId)).filter((typebot) => !typebot.isArchived)
      return {
        typebots: await Promise.all(
          typebots.map(async (typebot) => ({
            id: typebot.id,
            name: typebot.name,
            icon: typeof typebot.draft.icon === 'string' ? typebot.draft.icon : null,
            publicId: typebot.publicId,
            spaceId: null,
            createdAt: typebot.createdAt,
            publishedTypebotId: typebot.publishedVersionId ?? undefined,
            accessRight: findTypebotUserMode(
              role,
              role === 'GUEST' ? (await store.findTypebotGrants(typebot, user.id)).collaboration : undefined,
            ),
          })),
        ),
      }
    },
  )

  app.get(
    '/v1/typebots/:typebotId',
    {
      ...protectedRoute,
      schema: {
        summary: 'Get a typebot',
        description: 'The draft, as last saved.',
        tags,
        security: bearerSecurity,
        params: typebotParamsSchema,
        response: { 200: getTypebotResponseSchema },
      },
    },
    async (request) => {
      const user = guard.userOf(request)
      const typebot = await requireTypebotAccess(store, user, request.params.typebotId, 'read')
      const { role, collaboration } = await store.findTypebotGrants(typebot, user.id)
      return { typebot: toTypebotDocument(typebot), currentUserMode: findTypebotUserMode(role, collaboration) }
    },
  )

  app.patch(
    '/v1/typebots/:typebotId',
    {
      ...protectedRoute,
      schema: {
        summary: 'Update a typebot',
        description:
          'Top-level fields replace the stored ones; the whole draft is validated again. 409 when publicId belongs to another typebot.',
        tags,
        security: bearerSecurity,
        params: typebotParamsSchema,
        body: updateTypebotRequestSchema,
        response: { 200: typebotWithWarningsResponseSchema },
      },
    },
    async (request) => {
      const typebot = await requireTypebotAccess(store, guard.userOf(request), request.params.typebotId, 'write')
      return toSavedResponse(await updateTypebot(store, typebot, request.body.typebot, { overwrite: request.body.overwrite }))
    },
  )

  app.delete(
    '/v1/typebots/:typebotId',
    {
      ...protectedRoute,
      schema: {
        summary: 'Delete a typebot',
        description: 'Deletes the typebot with its results and sessions.',
        tags,
        security: bearerSecurity,
        params: typebotParamsSchema,
        response: { 200: successResponseSchema },
      },
    },
    async (request) => {
      await requireTypebotAccess(store, guard.userOf(request), request.params.typebotId, 'write')
      if (!(await deleteTypebot(deps, request.params.typebotId))) throw new AppError('NOT_FOUND', 'Typebot not found')
      return { message: 'success' as const }
    },
  )

  app.post(
    '/v1/typebots/:typebotId/publish',
    {
      ...protectedRoute,
      schema: {
        summary: 'Publish a typebot',
        description: 'Stores the draft as a new immutable published version; new chats start on it.',
        tags,
        security: bearerSecurity,
        params: typebotParamsSchema,
        body: publishTypebotRequestSchema,
        response: { 200: publishTypebotResponseSchema },
      },
    },
    async (request) => {
      const typebot = await requireTypebotAccess(store, guard.userOf(request), request.params.typebotId, 'write')
      await publishTypebot(store, typebot)
      if (request.body.updateOngoingSessions) {
        // Access was checked above: the chat service is not given the user again.
        const { updatedSessions } = await deps.chat.updateAllSessionsOfTypebot(typebot.id)
        return { message: 'success' as const, updatedSessions }
      }
      return { message: 'success' as const }
    },
  )

  app.post(
    '/v1/typebots/:typebotId/unpublish',
    {
      ...protectedRoute,
      schema: {
        summary: 'Unpublish a typebot',
        description: 'New chats can no longer start; 404 when the typebot is not published.',
        tags,
        security: bearerSecurity,
        params: typebotParamsSchema,
        response: { 200: successResponseSchema },
      },
    },
    async (request) => {
      const typebot = await requireTypebotAccess(store, guard.userOf(request), request.params.typebotId, 'write')
      if (!typebot.publishedVersionId) throw new AppError('NOT_FOUND', 'Published typebot not found')
      await store.unpublishTypebot(typebot.id)
      return { message: 'success' as const }
    },
  )

  app.get(
    '/v1/typebots/:typebotId/publishedTypebot',
    {
      ...protectedRoute,
      schema: {
        summary: 'Get published typebot',
        description: 'The latest published version; 404 when the typebot is not published.',
        tags,
        security: bearerSecurity,
        params: typebotParamsSchema,
        response: { 200: publishedTypebotResponseSchema },
      },
    },
    async (request) => {
      const typebot = await requireTypebotAccess(store, guard.userOf(request), request.params.typebotId, 'read')
      const version = typebot.publishedVersionId ? await store.findVersion(typebot.publishedVersionId) : undefined
      if (!version) throw new AppError('NOT_FOUND', 'Published typebot not found')
      const { id: _typebotId, ...content } = version.content
      const publishedTypebot = {
        ...content,
        id: version.id,
        typebotId: typebot.id,
        createdAt: version.createdAt,
        updatedAt: version.createdAt,
      }
      return { publishedTypebot: publishedTypebotResponseSchema.shape.publishedTypebot.parse(publishedTypebot) }
    },
  )

  app.get(
    '/v1/typebots/:typebotId/linkedTypebots',
    {
      ...protectedRoute,
      schema: {
        summary: 'Get linked typebots',
        description:
          'The typebots its Typebot link blocks point at (except links whose mergeResults is false), as drafts: name, version, groups and variables. Links to typebots the caller may not read are left out.',
        tags,
        security: bearerSecurity,
        params: typebotParamsSchema,
        response: { 200: listLinkedTypebotsResponseSchema },
      },
    },
    async (request) => {
      const user = guard.userOf(request)
      const typebot = await requireTypebotAccess(store, user, request.params.typebotId, 'read')
      return listLinkedTypebotsResponseSchema.parse({ typebots: await listLinkedTypebots(store, user, typebot) })
    },
  )

  app.get(
    '/v1/typebots/:typebotId/collaborators',
    {
      ...protectedRoute,
      schema: {
        summary: 'Get collaborators',
        tags,
        security: bearerSecurity,
        params: typebotParamsSchema,
        response: { 200: listCollaboratorsResponseSchema },
      },
    },
    async (request) => {
      const typebot = await requireTypebotAccess(store, guard.userOf(request), request.params.typebotId, 'read')
      return { collaborators: (await store.listCollaborators(typebot.id)).map(toCollaborator) }
    },
  )

  app.post(
    '/v1/typebots/:typebotId/collaborators',
    {
      ...protectedRoute,
      schema: {
        summary: 'Add a collaborator',
        description:
          'Shares the typebot with a user (created when there is none with this email); replaces their previous type. Only workspace ADMINs and FULL_ACCESS collaborators manage collaborators.',
        tags,
        security: bearerSecurity,
        params: typebotParamsSchema,
        body: addCollaboratorRequestSchema,
        response: { 200: addCollaboratorResponseSchema },
      },
    },
    async (request) => {
      const user = guard.userOf(request)
      const typebot = await requireTypebotAccess(store, user, request.params.typebotId, 'read')
      await assertCanGrantCollaboration(store, user, typebot, request.body.type)
      return { collaborator: toCollaborator(await addCollaborator(store, { typebotId: typebot.id, ...request.body })) }
    },
  )
}

function toSavedResponse(saved: SavedTypebot) {
  const typebot = toTypebotDocument(saved.typebot)
  return saved.warnings.length > 0 ? { typebot, warnings: saved.warnings } : { typebot }
}

function toCollaborator(collaborator: CollaboratorRecord) {
  return {
    type: collaborator.type,
    userId: collaborator.userId,
    typebotId: collaborator.typebotId,
    createdAt: collaborator.createdAt,
    updatedAt: collaborator.createdAt,
    user: { name: collaborator.name, email: collaborator.email, image: null },
  }
}
