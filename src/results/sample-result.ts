/**
 * `GET .../webhookBlocks/{blockId}/getResultExample`: what an HTTP request block's default body
 * will look like, for Zapier or Make to show its fields: one entry per results column, a made-up
 * answer for each input the flow can pass through before the block, a variable's own value when
 * it has one, else "content" (Typebot's sample; linked typebots are not followed).
 */
import { findBlockHandler } from '../engine/blocks/registry.js'
import type { Block } from '../engine/types.js'
import { AppError } from '../errors.js'
import { isRecord, recordOf } from '../json-record.js'
import { parseTypebot, type TypebotDocument } from '../schemas/typebot.js'
import type { TypebotRecord } from '../storage/store.js'
import { buildResultColumns, submittedAtColumnId } from './result-header.js'

export function buildSampleResult(typebot: TypebotRecord, blockId: string, options: { userEmail?: string; now: number }) {
  const parsed = parseTypebot({ ...typebot.draft, id: typebot.id })
  if (!parsed.success) throw new AppError('NOT_FOUND', 'Block not found')
  const document = parsed.typebot
  const group = document.groups.find((candidate) => candidate.blocks.some((block) => block.id === blockId))
  if (!group) throw new AppError('NOT_FOUND', 'Block not found')

  const reachable = inputBlocksBefore(document, group.id, blockId)
  const sample: Record<string, unknown> = {
    message: 'This is a sample result, it has been generated ⬇️',
    submittedAt: new Date(options.now).toISOString(),
  }
  for (const column of buildResultColumns(document, { includeSessionVariables: true }).columns) {
    if (column.id === submittedAtColumnId) continue
    const variableValue = document.variables.find((variable) => column.variableIds?.includes(variable.id) && variable.value)?.value
    const block = reachable.find((candidate) => column.blockIds?.includes(candidate.id))
    if (block) sample[column.label] = variableValue ?? sampleAnswer(block, options.userEmail, options.now)
    else if (column.variableIds) sample[column.label] = variableValue ?? 'content'
  }
  return sample
}

/** Input blocks before the block in its group, and in every group the flow can come from. */
function inputBlocksBefore(document: TypebotDocument, groupId: string, blockId: string): Block[] {
  const groupOfBlock = new Map(document.groups.flatMap((group) => group.blocks.map((block) => [block.id, group.id] as const)))
  const visited = new Set([groupId])
  const pending = [groupId]
  const blocks: Block[] = []
  for (let current = pending.shift(); current !== undefined; current = pending.shift()) {
    const group = document.groups.find((candidate) => candidate.id === current)
    const own = group?.blocks ?? []
    const end = current === groupId ? own.findIndex((block) => block.id === blockId) : own.length
    blocks.push(...own.slice(0, end).filter((block) => findBlockHandler(block)?.family === 'input'))
    for (const edge of document.edges) {
      if (edge.to.groupId !== current || !('blockId' in edge.from)) continue
      const from = groupOfBlock.get(edge.from.blockId)
      if (from && !visited.has(from)) {
        visited.add(from)
        pending.push(from)
      }
    }
  }
  return blocks
}

function sampleAnswer(block: Block, userEmail: string | undefined, now: number): string {
  const options = recordOf('options' in block ? block.options : undefined)
  const items = 'items' in block && Array.isArray(block.items) ? block.items.filter(isRecord) : []
  const texts = (...keys: string[]) =>
    items.map((item) => keys.map((key) => item[key]).find((value) => typeof value === 'string' && value !== '')).filter(Boolean)
  switch (block.type) {
    case 'choice input':
      return options.isMultipleChoice === true ? texts('content').join(', ') : String(texts('content')[0] ?? 'Item')
    case 'picture choice input':
      return options.isMultipleChoice === true ? texts('title', 'pictureSrc').join(', ') : String(texts('title', 'pictureSrc')[0] ?? 'Item')
    case 'cards':
      return texts('title', 'description').join(', ')
    case 'date input':
      return new Date(now).toUTCString()
    case 'time input':
      return '14:00'
    case 'email input':
      return userEmail ?? 'test@email.com'
    case 'number input':
      return '20'
    case 'phone number input':
      return '+33665566773'
    case 'url input':
      return 'https://test.com'
    case 'file input':
      return 'https://domain.com/fake-file.png'
    case 'rating input':
      return '8'
    case 'payment input':
      return 'Success'
    default:
      return 'answer value'
  }
}
