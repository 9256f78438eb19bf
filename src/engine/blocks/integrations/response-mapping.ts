import type { BlockContext } from '../../block-handler.js'
import { applyVariableUpdates } from '../../state.js'
import type { SessionState, SetVariableHistoryItem } from '../../types.js'
import { normalizeValue, substituteVariables } from '../../variables.js'

export type ResponseMapping = { variableId?: string; bodyPath?: string }

/**
 * §7.1.5: each `bodyPath` is a JavaScript expression over `statusCode` and `data` (`data.items[0].id`,
 * `data.map(i => i.name)`) evaluated in the sandbox; its value goes to the mapped variable, with
 * history recorded against the block. A failing expression skips that mapping.
 */
export function applyResponseMapping(
  mappings: ResponseMapping[] | undefined,
  response: { statusCode: unknown; data: unknown },
  ctx: BlockContext,
  blockId: string,
): { state: SessionState; history: SetVariableHistoryItem[] } {
  const updates = (mappings ?? []).flatMap((mapping) => {
    const { variableId, bodyPath } = mapping
    if (!variableId || !bodyPath || !ctx.variables.some((variable) => variable.id === variableId)) return []
    const expression = substituteVariables(bodyPath, ctx.variables, ctx.env)
    const evaluated = ctx.env.runCode(`return ${expression}`, { statusCode: response.statusCode, data: response.data })
    return evaluated.ok ? [{ id: variableId, value: normalizeValue(evaluated.value) }] : []
  })
  return applyVariableUpdates(ctx.state, updates, blockId)
}
