import { assertWorkspaceRole } from '../../access.js'
import { AppError } from '../../errors.js'
import { newId } from '../../ids.js'
import {
  createWorkspaceRequestSchema,
  createWorkspaceResponseSchema,
  getWorkspaceResponseSchema,
  listInvitationsResponseSchema,
  listMembersResponseSchema,
  listWorkspacesResponseSchema,
  type Workspace,
  workspaceParamsSchema,
} from '../../schemas/management-api.js'
import type { WorkspaceRecord } from '../../storage/store.js'
import { findWorkspaceUserMode } from '../../typebots/find-user-mode.js'
import type { AppDeps } from '../app.js'
import { bearerSecurity, createUserGuard } from '../require-user.js'
import type { TypedApp } from '../typed-app.js'

const allRoles = ['ADMIN', 'MEMBER', 'GUEST'] as const

export function registerWorkspaceRoutes(app: TypedApp, deps: AppDeps) {
  const { store } = deps
  const guard = createUserGuard(store)
  const tags = ['Workspace']

  app.get(
    '/v1/workspaces',
    {
      onRequest: guard.onRequest,
      schema: {
        summary: 'List workspaces',
        description: "The caller's workspaces",
        tags,
        security: bearerSecurity,
        response: { 200: listWorkspacesResponseSchema },
      },
    },
    async (request) => {
      const workspaces = await store.listWorkspacesOfUser(guard.userOf(request).id)
      return { workspaces: workspaces.map(({ id, name, icon, plan }) => ({ id, name, icon, plan: toPlan(plan) })) }
    },
  )

  app.post(
    '/v1/workspaces',
    {
      onRequest: guard.onRequest,
      schema: {
        summary: 'Create workspace',
        tags,
        security: bearerSecurity,
        body: createWorkspaceRequestSchema,
        response: { 200: createWorkspaceResponseSchema },
      },
    },
    async (request) => {
      const user = guard.userOf(request)
      const workspace = await store.createWorkspace(
        { id: newId(), name: request.body.name, icon: request.body.icon ?? null },
        { userId: user.id },
      )
      return { workspace: toWorkspace(workspace) }
    },
  )

  app.get(
    '/v1/workspaces/:workspaceId',
    {
      onRequest: guard.onRequest,
      schema: {
        summary: 'Get workspace',
        tags,
        security: bearerSecurity,
        params: workspaceParamsSchema,
        response: { 200: getWorkspaceResponseSchema },
      },
    },
    async (request) => {
      const role = await assertWorkspaceRole(store, guard.userOf(request), request.params.workspaceId, allRoles)
      const workspace = await store.findWorkspace(request.params.workspaceId)
      if (!workspace) throw new AppError('NOT_FOUND', 'Workspace not found')
      return { workspace: toWorkspace(workspace), currentUserMode: findWorkspaceUserMode(role) }
    },
  )

  app.get(
    '/v1/workspaces/:workspaceId/members',
    {
      onRequest: guard.onRequest,
      schema: {
        summary: 'List members in workspace',
        tags,
        security: bearerSecurity,
        params: workspaceParamsSchema,
        response: { 200: listMembersResponseSchema },
      },
    },
    async (request) => {
      await assertWorkspaceRole(store, guard.userOf(request), request.params.workspaceId, allRoles)
      const members = await store.listMembers(request.params.workspaceId)
      return {
        members: members.map((member) => ({
          workspaceId: member.workspaceId,
          userId: member.userId,
          user: { name: member.name, email: member.email, image: null },
          role: member.role,
        })),
      }
    },
  )

  app.get(
    '/v1/workspaces/:workspaceId/invitations',
    {
      onRequest: guard.onRequest,
      schema: {
        summary: 'List invitations in workspace',
        description:
          'Always an empty list: botflow adds members directly and sends no invitations. 404 for a workspace the caller is not a member of.',
        tags,
        security: bearerSecurity,
        params: workspaceParamsSchema,
        response: { 200: listInvitationsResponseSchema },
      },
    },
    async (request) => {
      await assertWorkspaceRole(store, guard.userOf(request), request.params.workspaceId, allRoles)
      return { invitations: [] }
    },
  )
}

const plans = ['FREE', 'STARTER', 'PRO', 'LIFETIME', 'OFFERED', 'CUSTOM', 'UNLIMITED', 'ENTERPRISE'] as const

function toPlan(plan: string): Workspace['plan'] {
  return plans.find((known) => known === plan) ?? 'FREE'
}

/** The Builder's workspace shape; botflow has no billing, so those fields are constant. */
function toWorkspace(workspace: WorkspaceRecord): Workspace {
  return {
    id: workspace.id,
    name: workspace.name,
    icon: workspace.icon,
    plan: toPlan(workspace.plan),
    createdAt: workspace.createdAt,
    updatedAt: workspace.createdAt,
    stripeId: null,
    settings: null,
    customChatsLimit: null,
    customSeatsLimit: null,
    isSuspended: false,
    isPastDue: false,
    isVerified: null,
    chatsHardLimit: null,
    lastActivityAt: null,
  }
}
