import type { Readable } from 'node:stream'
import multipart from '@fastify/multipart'
import type { FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { findTypebotAccess } from '../../access.js'
import { authenticate } from '../../auth.js'
import { AppError } from '../../errors.js'
import { errorBodySchema } from '../../schemas/chat-api.js'
import {
  fileParamsSchema,
  generateUploadUrlBodySchema,
  generateUploadUrlResponseSchema,
  uploadTokenParamsSchema,
} from '../../schemas/uploads-api.js'
import type { UploadRecord } from '../../storage/store.js'
import { claimUpload, storeUpload, type UploadDeps } from '../../uploads/receive-upload.js'
import type { AppDeps } from '../app.js'
import { rateLimitHooks } from '../rate-limit-hooks.js'
import { requestBaseUrl } from '../request-base-url.js'
import type { TypedApp } from '../typed-app.js'

const errors = { 400: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 413: errorBodySchema, 429: errorBodySchema }

/** Multipart fields other than the file are few and small (S3-style form fields). */
const multipartLimits = { fields: 20, fieldSize: 64 * 1024, parts: 21, files: 1 }

/**
 * File uploads: Typebot's `generate-upload-url`, the single-use upload URL of local storage
 * (multipart POST as every `@typebot.io/js` sends, or a raw PUT), and reading a file.
 * Each request counts against RATE_LIMIT_UPLOADS_PER_IP.
 */
export function registerUploadRoutes(app: TypedApp, deps: AppDeps) {
  const uploadDeps: UploadDeps = { store: deps.store, storage: deps.files, now: deps.now }
  const limitHooks = rateLimitHooks(app, deps, ['uploadsPerIp'])

  app.post(
    '/v3/generate-upload-url',
    {
      onRequest: limitHooks,
      schema: {
        operationId: 'generateUploadUrl',
        summary: 'Generate upload URL',
        description:
          'Where to send a file for the file input (or text input attachment) the session waits on, and the URL the file will have.',
        tags: ['File upload'],
        body: generateUploadUrlBodySchema,
        response: { 200: generateUploadUrlResponseSchema, ...errors },
      },
    },
    async (request) =>
      deps.chat.generateUploadUrl(request.body, { origin: request.headers.origin, baseUrl: requestBaseUrl(deps.publicUrl, request) }),
  )

  app.get(
    '/v1/files/:uploadId/:fileName',
    {
      schema: {
        operationId: 'getUploadedFile',
        summary: 'Get an uploaded file',
        description:
          'The bytes of a file uploaded to a file input (or a redirect to them when files are in S3). Files of a private input need a token with read access to the typebot.',
        tags: ['File upload'],
        params: fileParamsSchema,
        response: {
          200: z.any().describe('The file'),
          307: z.any().describe('Redirect to the file in S3'),
          401: errorBodySchema,
          404: errorBodySchema,
        },
      },
    },
    async (request, reply) => {
      const upload = await deps.store.uploads.findUpload(request.params.uploadId)
      const isReadable = upload && upload.fileName === request.params.fileName && (upload.status === 'stored' || deps.files.kind === 's3')
      if (!upload || !isReadable) throw new AppError('NOT_FOUND', 'File not found')
      if (upload.isPrivate) await assertCanReadPrivateFile(deps, request, upload)
      const disposition = `${upload.isAttachment ? 'attachment' : 'inline'}; filename="${upload.fileName}"`
      reply
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cache-control', upload.isPrivate ? 'private, no-store' : 'public, max-age=86400')
      if (deps.files.readUrl) {
        return reply.redirect(
          await deps.files.readUrl(upload.storageKey, { contentType: upload.contentType, contentDisposition: disposition }),
          307,
        )
      }
      const file = await deps.files.openRead(upload.storageKey)
      if (!file) throw new AppError('NOT_FOUND', 'File not found')
      reply.header('content-type', upload.contentType).header('content-disposition', disposition)
      if (file.size !== undefined) reply.header('content-length', file.size)
      return reply.send(file.body)
    },
  )

  const storeCounted = async (upload: UploadRecord, body: Readable) => {
    try {
      await storeUpload(uploadDeps, upload, body)
      deps.metrics?.countUpload('stored')
    } catch (error) {
      deps.metrics?.countUpload(error instanceof AppError && error.code === 'PAYLOAD_TOO_LARGE' ? 'too_large' : 'failed')
      throw error
    }
  }

  // The upload URL reads bodies itself: a scope of its own, without the JSON parsers of the API.
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers()
    await scope.register(multipart, { limits: { ...multipartLimits, fileSize: deps.maxUploadBytes + 1 } })
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload))
    const routes = scope.withTypeProvider<ZodTypeProvider>()
    const schema = {
      summary: 'Upload a file',
      description: 'Receives the file of an upload URL made by generate-upload-url (local storage). Each URL works once, for 10 minutes.',
      tags: ['File upload'],
      params: uploadTokenParamsSchema,
      response: {
        204: z.null().describe('Stored'),
        400: errorBodySchema,
        403: errorBodySchema,
        404: errorBodySchema,
        413: errorBodySchema,
      },
    }
    routes.post(
      '/v1/uploads/:token',
      { onRequest: limitHooks, schema: { ...schema, operationId: 'uploadFileForm' } },
      async (request, reply) => {
        const upload = await claimUpload(uploadDeps, request.params.token)
        const file = request.isMultipart() ? await request.file() : undefined
        if (!file) {
          await deps.store.uploads.finishUpload(upload.id, { status: 'failed' })
          throw new AppError('INVALID_REQUEST', 'Send the file as the "file" field of a multipart form')
        }
        await storeCounted(upload, file.file)
        return reply.code(204).send(null)
      },
    )
    routes.put(
      '/v1/uploads/:token',
      { onRequest: limitHooks, schema: { ...schema, operationId: 'uploadFileBody' } },
      async (request, reply) => {
        const upload = await claimUpload(uploadDeps, request.params.token)
        await storeCounted(upload, request.raw)
        return reply.code(204).send(null)
      },
    )
  })
}

/** 401 without a token; a caller who may not read the typebot sees the same 404 as for a missing file. */
async function assertCanReadPrivateFile(deps: AppDeps, request: FastifyRequest, upload: UploadRecord) {
  const user = await authenticate(deps.store, request.headers.authorization)
  const access = await findTypebotAccess(deps.store, user, { id: upload.typebotId, workspaceId: upload.workspaceId })
  if (access === 'none') throw new AppError('NOT_FOUND', 'File not found')
}
