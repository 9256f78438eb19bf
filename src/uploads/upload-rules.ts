/**
 * What an input block allows an upload to be (pure): which blocks take files, their types, size,
 * count and visibility, the name a stored file gets and the type it is served with.
 */
import { extensionsOfMimeType, isMimeTypeAllowed } from '../engine/blocks/inputs/file-types.js'
import type { Block } from '../engine/types.js'
import { isUnsupportedBlock } from '../schemas/typebot.js'

/** Typebot's limit when a block sets none (`NEXT_PUBLIC_BOT_FILE_UPLOAD_MAX_SIZE`). */
export const defaultMaxFileSizeMb = 10

export type UploadRules = {
  /** MIME types, `type/*` or extensions; undefined = any type. */
  allowedTypes?: string[]
  maxBytes: number
  isPrivate: boolean
  /** A file input without `isMultipleAllowed`: one stored file per wait. */
  isSingleFile: boolean
}

/**
 * The rules of the block a session waits on, or undefined when it takes no file: a file input,
 * or a text input with attachments or audio clips (as Typebot's upload route accepts).
 */
export function findUploadRules(block: Block, maxFileSizeMb: number): UploadRules | undefined {
  const ceiling = maxFileSizeMb * 1024 * 1024
  if (isUnsupportedBlock(block)) return undefined
  if (block.type === 'file input') {
    const options = block.options
    const allowed = options?.allowedFileTypes
    const sizeLimitMb = typeof options?.sizeLimit === 'number' && options.sizeLimit > 0 ? options.sizeLimit : defaultMaxFileSizeMb
    return {
      ...(allowed?.isEnabled && allowed.types?.length ? { allowedTypes: allowed.types } : {}),
      maxBytes: Math.min(Math.round(sizeLimitMb * 1024 * 1024), ceiling),
      isPrivate: options?.visibility === 'Private',
      isSingleFile: options?.isMultipleAllowed !== true,
    }
  }
  if (block.type === 'text input') {
    const { attachments, audioClip } = block.options ?? {}
    if (!attachments?.isEnabled && !audioClip?.isEnabled) return undefined
    const visibility = attachments?.isEnabled ? attachments.visibility : audioClip?.visibility
    return {
      maxBytes: Math.min(defaultMaxFileSizeMb * 1024 * 1024, ceiling),
      isPrivate: visibility === 'Private',
      isSingleFile: false,
    }
  }
  return undefined
}

export type DeclaredFile = { fileName: string; fileType?: string; fileSize?: number }

export type AcceptedFile = {
  /** The declared type, normalised (`application/octet-stream` when missing). */
  fileType: string
  /** The type the file is stored and served with: never one a browser would run. */
  servedType: string
  isAttachment: boolean
  fileName: string
}

/** Checks what the client declares before it uploads; the bytes are checked again while they arrive. */
export function checkDeclaredFile(
  rules: UploadRules,
  file: DeclaredFile,
): { ok: true; file: AcceptedFile } | { ok: false; message: string } {
  const fileType = normalizeMimeType(file.fileType)
  if (rules.allowedTypes && (fileType === undefined || !isMimeTypeAllowed(fileType, rules.allowedTypes))) {
    return { ok: false, message: `File type ${fileType ?? fallbackType} not allowed` }
  }
  if (file.fileSize !== undefined && file.fileSize > rules.maxBytes) {
    return { ok: false, message: `File size exceeds the ${formatMegabytes(rules.maxBytes)}MB limit` }
  }
  const resolvedType = fileType ?? fallbackType
  const isUnsafe = unsafeTypes.has(resolvedType)
  return {
    ok: true,
    file: {
      fileType: resolvedType,
      servedType: isUnsafe ? fallbackType : resolvedType,
      isAttachment: isUnsafe,
      fileName: toStoredFileName(file.fileName, resolvedType),
    },
  }
}

const fallbackType = 'application/octet-stream'

/** Types a browser would render as a document that runs scripts: served as downloads. */
const unsafeTypes = new Set([
  'text/html',
  'image/svg+xml',
  'text/xml',
  'application/xml',
  'application/xhtml+xml',
  'application/javascript',
  'text/javascript',
  'application/ecmascript',
  'text/ecmascript',
])

/** `Image/PNG; charset=x` -> `image/png`; undefined for anything that is not a MIME type. */
export function normalizeMimeType(type: string | undefined): string | undefined {
  const normalized = type?.split(';')[0]?.trim().toLowerCase()
  return normalized && /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/.test(normalized) ? normalized : undefined
}

const maxNameLength = 100

/**
 * A safe last URL segment from a client's file name: the base name only, ASCII letters, digits,
 * `.`, `_` and `-`, no leading dot, at most 100 characters. The extension is one of `mimeType`'s
 * when the type is known (the reply check of file inputs reads extensions).
 */
export function toStoredFileName(fileName: string, mimeType: string): string {
  const baseName = fileName.split(/[/\\]/).pop() ?? ''
  const dot = baseName.lastIndexOf('.')
  const stem = cleanNamePart(dot > 0 ? baseName.slice(0, dot) : baseName) || 'file'
  const ownExtension = cleanNamePart(dot > 0 ? baseName.slice(dot + 1) : '')
    .replace(/\./g, '')
    .toLowerCase()
  const known = extensionsOfMimeType(mimeType)
  const extension = known.length === 0 || known.includes(ownExtension) ? ownExtension : (known[0] ?? '')
  const suffix = extension ? `.${extension.slice(0, 16)}` : ''
  return stem.slice(0, maxNameLength - suffix.length) + suffix
}

function cleanNamePart(part: string): string {
  return part
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[.-]+|[.-]+$/g, '')
}

function formatMegabytes(bytes: number): string {
  return String(Math.round((bytes / (1024 * 1024)) * 100) / 100)
}
