/**
 * The columns of a typebot's results, as Typebot's results table and CSV export have them:
 * "Submitted at", one column per input block (named after its variable, else its group; blocks
 * saving to one variable share a column), then every other variable (session-only ones left
 * out), optionally columns for answers of blocks that no longer exist; the order and visibility
 * the builder saved in `resultsTablePreferences` apply.
 */
import { findBlockHandler } from '../engine/blocks/registry.js'
import type { Block } from '../engine/types.js'
import { isRecord, recordOf } from '../json-record.js'
import type { TypebotDocument } from '../schemas/typebot.js'

export type ResultColumn = {
  id: string
  label: string
  /** Input blocks answering into this column. */
  blockIds?: string[]
  variableIds?: string[]
}

export type ResultColumns = {
  /** Visible columns, in display order. */
  columns: ResultColumn[]
  /** Input block id -> the variable it saves to. */
  variableOfBlock: ReadonlyMap<string, string>
}

export const submittedAtColumnId = 'date'

export function buildResultColumns(
  typebot: Pick<TypebotDocument, 'groups' | 'variables' | 'resultsTablePreferences'>,
  options: { deletedBlockIds?: readonly string[]; includeSessionVariables?: boolean } = {},
): ResultColumns {
  const inputs = inputColumnsOf(typebot)
  const columns: ResultColumn[] = [
    { id: submittedAtColumnId, label: 'Submitted at' },
    ...inputs,
    ...variableColumnsOf(typebot.variables, inputs, options.includeSessionVariables === true),
  ]
  const known = new Set(columns.map((column) => column.id))
  const existingBlocks = new Set(typebot.groups.flatMap((group) => group.blocks.map((block) => block.id)))
  for (const blockId of options.deletedBlockIds ?? []) {
    if (known.has(blockId) || existingBlocks.has(blockId)) continue
    known.add(blockId)
    columns.push({ id: blockId, label: `${blockId} (deleted block)`, blockIds: [blockId] })
  }
  const variableOfBlock = new Map<string, string>()
  for (const group of typebot.groups) {
    for (const block of group.blocks) {
      const variableId = inputVariableIdOf(block)
      if (variableId && findBlockHandler(block)?.family === 'input') variableOfBlock.set(block.id, variableId)
    }
  }
  return { columns: ordered(columns, typebot.resultsTablePreferences), variableOfBlock }
}

function inputColumnsOf(typebot: Pick<TypebotDocument, 'groups' | 'variables'>): ResultColumn[] {
  const columns: ResultColumn[] = []
  for (const group of typebot.groups) {
    for (const block of group.blocks) {
      if (findBlockHandler(block)?.family !== 'input') continue
      const variableId = inputVariableIdOf(block)
      if (variableId && columns.some((column) => column.variableIds?.includes(variableId))) continue
      const variableName = variableId ? typebot.variables.find((variable) => variable.id === variableId)?.name : undefined
      const name = variableName ?? group.title
      const sameName = columns.filter((column) => column.label.includes(name)).length
      columns.push({
        id: block.id,
        label: columns.some((column) => column.label === name) ? `${name} (${sameName})` : name,
        blockIds: [block.id],
        ...(variableId ? { variableIds: [variableId] } : {}),
      })
    }
  }
  return columns
}

function variableColumnsOf(variables: TypebotDocument['variables'], inputs: ResultColumn[], includeSessionVariables: boolean) {
  let columns: ResultColumn[] = []
  for (const variable of variables) {
    if (inputs.some((column) => column.variableIds?.includes(variable.id))) continue
    if (variable.isSessionVariable && !includeSessionVariables) continue
    const sameName = columns.find((column) => column.label === variable.name)
    if (!sameName) {
      columns.push({ id: variable.id, label: variable.name, variableIds: [variable.id] })
      continue
    }
    // Typebot moves a column that gains a variable to the end of the list.
    columns = [
      ...columns.filter((column) => column !== sameName),
      { ...sameName, variableIds: [...(sameName.variableIds ?? []), variable.id] },
    ]
  }
  return columns
}

function ordered(columns: ResultColumn[], preferences: unknown): ResultColumn[] {
  const { columnsOrder, columnsVisibility } = recordOf(preferences)
  const saved = Array.isArray(columnsOrder) ? columnsOrder.filter((id): id is string => typeof id === 'string') : []
  // An order saved by old builders starts with "select" and may be broken: Typebot resets it.
  const order = saved[0] === 'select' || saved.length === 0 ? columns.map((column) => column.id) : saved
  const byId = new Map(columns.map((column) => [column.id, column]))
  const ids = [...order, ...columns.map((column) => column.id).filter((id) => !order.includes(id))]
  const hidden = isRecord(columnsVisibility) ? columnsVisibility : {}
  return [...new Set(ids)].flatMap((id) => {
    const column = byId.get(id)
    return column && hidden[id] !== false ? [column] : []
  })
}

function inputVariableIdOf(block: Block): string | undefined {
  const variableId = recordOf('options' in block ? block.options : undefined).variableId
  return typeof variableId === 'string' && variableId !== '' ? variableId : undefined
}
