/** Schemas of the upload routes: Typebot's `generate-upload-url` and botflow's file routes. */
import { z } from 'zod'

export const generateUploadUrlBodySchema = z.object({
  sessionId: z.string().min(1),
  blockId: z.string().min(1),
  fileName: z.string().min(1).max(1000).describe("Name of the file on the user's device; botflow stores a sanitised version of it."),
  fileType: z.string().max(255).optional().describe('MIME type the browser reports.'),
  fileSize: z.number().nonnegative().optional().describe('Size in bytes; checked again while the bytes arrive.'),
})
export type GenerateUploadUrlBody = z.infer<typeof generateUploadUrlBodySchema>

export const generateUploadUrlResponseSchema = z.object({
  presignedUrl: z
    .string()
    .describe('Where to send the file: multipart POST of `formData` then `file` (or PUT of the bytes when `formData` is empty).'),
  formData: z.record(z.string(), z.string()),
  fileUrl: z.string().describe('The URL of the file once uploaded: the answer to send to the input.'),
  fileType: z.string().optional(),
  maxFileSize: z.number().optional().describe('Largest accepted size, in MB.'),
})
export type GenerateUploadUrlResponse = z.infer<typeof generateUploadUrlResponseSchema>

export const uploadTokenParamsSchema = z.object({ token: z.string().min(1).max(200) })
export const fileParamsSchema = z.object({ uploadId: z.string().min(1).max(64), fileName: z.string().min(1).max(300) })
