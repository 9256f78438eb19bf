import { AppError } from '../errors.js'
import { parseTypebot, type StoredTypebot, type TypebotDocument, toStoredTypebot } from '../schemas/typebot.js'

export type ParsedTypebotInput = {
  /** The validated document, for reading its fields. */
  typebot: TypebotDocument
  /** The same document as it is written to storage. */
  stored: StoredTypebot
  warnings: string[]
}

/**
 * Migrates and validates a typebot sent by a client. Refuses it with INVALID_REQUEST and the
 * issues' paths inside the request body (`typebot.groups.0...`); unsupported blocks are warnings.
 */
export function parseTypebotInput(input: unknown): ParsedTypebotInput {
  const parsed = parseTypebot(input)
  if (!parsed.success)
    throw new AppError(
      'INVALID_REQUEST',
      'Invalid typebot',
      parsed.issues.map((issue) => ({ message: issue.message, path: ['typebot', ...issue.path] })),
    )
  return { typebot: parsed.typebot, stored: toStoredTypebot(parsed.typebot), warnings: parsed.warnings }
}
