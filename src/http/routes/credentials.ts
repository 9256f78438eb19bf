import { createCredentials, deleteCredentials, listCredentials, updateCredentials } from '../../credentials/manage-credentials.js'
import {
  createCredentialsRequestSchema,
  credentialsParamsSchema,
  credentialsResponseSchema,
  deleteCredentialsResponseSchema,
  listCredentialsResponseSchema,
  updateCredentialsRequestSchema,
  workspaceCredentialsParamsSchema,
} from '../../schemas/credentials-api.js'
import type { AppDeps } from '../app.js'
import { bearerSecurity, createUserGuard } from '../require-user.js'
import type { TypedApp } from '../typed-app.js'

/** Workspace credentials (AI providers...): ADMIN and MEMBER manage them; the secret data is write-only. */
export function registerCredentialsRoutes(app: TypedApp, deps: AppDeps) {
  const guard = createUserGuard(deps.store)
  const credentials = { store: deps.store, cipher: deps.cipher }
  const tags = ['Credentials']

  app.post(
    '/v1/workspaces/:workspaceId/credentials',
    {
      onRequest: guard.onRequest,
      schema: {
        summary: 'Create credentials',
        description: 'Stores credentials in the workspace, their data encrypted. ADMIN or MEMBER of the workspace.',
        tags,
        security: bearerSecurity,
        params: workspaceCredentialsParamsSchema,
        body: createCredentialsRequestSchema,
        response: { 200: credentialsResponseSchema },
      },
    },
    async (request) => ({
      credentials: await createCredentials(credentials, guard.userOf(request), {
        workspaceId: request.params.workspaceId,
        ...request.body,
      }),
    }),
  )

  app.get(
    '/v1/workspaces/:workspaceId/credentials',
    {
      onRequest: guard.onRequest,
      schema: {
        summary: 'List credentials',
        description: "The workspace's credentials, newest first, without their data. ADMIN or MEMBER of the workspace.",
        tags,
        security: bearerSecurity,
        params: workspaceCredentialsParamsSchema,
        response: { 200: listCredentialsResponseSchema },
      },
    },
    async (request) => ({ credentials: await listCredentials(credentials, guard.userOf(request), request.params.workspaceId) }),
  )

  app.patch(
    '/v1/workspaces/:workspaceId/credentials/:credentialsId',
    {
      onRequest: guard.onRequest,
      schema: {
        summary: 'Update credentials',
        description: 'Renames credentials and/or replaces their data (a key rotation). ADMIN or MEMBER of the workspace.',
        tags,
        security: bearerSecurity,
        params: credentialsParamsSchema,
        body: updateCredentialsRequestSchema,
        response: { 200: credentialsResponseSchema },
      },
    },
    async (request) => ({
      credentials: await updateCredentials(credentials, guard.userOf(request), { ...request.params, ...request.body }),
    }),
  )

  app.delete(
    '/v1/workspaces/:workspaceId/credentials/:credentialsId',
    {
      onRequest: guard.onRequest,
      schema: {
        summary: 'Delete credentials',
        description: 'Blocks that used them log "Couldn\'t find credentials" from then on. ADMIN or MEMBER of the workspace.',
        tags,
        security: bearerSecurity,
        params: credentialsParamsSchema,
        response: { 200: deleteCredentialsResponseSchema },
      },
    },
    async (request) => {
      await deleteCredentials(credentials, guard.userOf(request), request.params)
      return { message: 'success' as const }
    },
  )
}
