/**
 * The credentials endpoints of the management API. Requests carry the secret `data`; responses
 * never do.
 */
import { z } from 'zod'
import { credentialTypeNames } from '../credentials/credential-types.js'

const nameSchema = z.string().trim().min(1).max(100).describe('A label for people, e.g. "Team key"')

export const credentialsSummarySchema = z.object({
  id: z.string(),
  type: z.string().describe(`One of ${credentialTypeNames.join(', ')}`),
  name: z.string(),
  createdAt: z.iso.datetime(),
})

export const workspaceCredentialsParamsSchema = z.object({ workspaceId: z.string().describe('Id of the workspace') })

export const credentialsParamsSchema = workspaceCredentialsParamsSchema.extend({
  credentialsId: z.string().describe('Id of the credentials'),
})

export const createCredentialsRequestSchema = z
  .object({
    type: z.enum(credentialTypeNames),
    name: nameSchema,
    data: z
      .record(z.string(), z.unknown())
      .describe(
        'Secret data, stored encrypted and never shown again. AI providers: { apiKey, baseUrl? }; smtp: { host, port, username?, password?, isTlsEnabled?, from: { email, name? } }; stripe: { live: { secretKey, publicKey }, test?: { secretKey?, publicKey? } }',
      ),
  })
  .meta({ examples: [{ type: 'openai', name: 'Team key', data: { apiKey: 'sk-...' } }] })

export const updateCredentialsRequestSchema = z
  .object({
    name: nameSchema.optional(),
    data: z.record(z.string(), z.unknown()).optional().describe('Replaces the whole data, e.g. to rotate a key'),
  })
  .refine((body) => body.name !== undefined || body.data !== undefined, { message: 'Give a name, data or both' })

export const credentialsResponseSchema = z.object({ credentials: credentialsSummarySchema })
export const listCredentialsResponseSchema = z.object({ credentials: z.array(credentialsSummarySchema) })
export const deleteCredentialsResponseSchema = z.object({ message: z.literal('success') })
