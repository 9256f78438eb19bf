import type { CredentialsData } from '../credentials/credential-types.js'
import { type CredentialsAccess, formatCredentialsProblem, resolveCredentials } from '../credentials/resolve-credentials.js'

export type OpenedWorkspaceCredentials<T extends 'smtp' | 'stripe'> =
  | { ok: true; id: string; data: CredentialsData<T> }
  | { ok: false; error: string }

/**
 * The credentials an Email or Stripe block uses (credentials/resolve-credentials.ts, the rule
 * AI blocks follow too), opened; their failure as the one error line these blocks log.
 */
export async function openWorkspaceCredentials<T extends 'smtp' | 'stripe'>(
  access: CredentialsAccess,
  type: T,
  workspaceId: string,
  credentialsId: string | undefined,
): Promise<OpenedWorkspaceCredentials<T>> {
  const resolved = await resolveCredentials(access, { workspaceId, type, ...(credentialsId ? { credentialsId } : {}) })
  return resolved.ok ? { ok: true, id: resolved.id, data: resolved.data } : { ok: false, error: formatCredentialsProblem(resolved.problem) }
}
