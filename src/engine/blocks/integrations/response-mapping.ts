import type { BlockContext } from '../../block-handler.js'
import { runCode } from '../../run-code.js'
import { applyVariableUpdates, type VariableUpdate } from '../../state.js'
import type { Effectful, SessionState, SetVariableHistoryItem } from '../../types.js'
import { normalizeValue, substituteVariables } from '../../variables.js'

export type ResponseMapping = { variableId?: string; bodyPath?: string }

/**
 * §7.1.5: each `bodyPath` is a JavaScript expression over `statusCode` and `data` (`data.items[0].id`,
 * `data.map(i => i.name)`) evaluated in the sandbox; its value goes to the mapped variable, with
 * history recorded against the block. A failing expression skips that mapping.
 */
export function* applyResponseMapping(
  mappings: ResponseMapping[] | undefined,
  response: { statusCode: unknown; data: unknown },
  ctx: BlockContext,
  blockId: string,
): Effectful<{ state: SessionState; history: SetVariableHistoryItem[] }> {
  const updates: VariableUpdate[] = []
  for (const { variableId, bodyPath } of mappings ?? []) {
    if (!variableId || !bodyPath || !ctx.variables.some((variable) => variable.id === variableId)) continue
    const expression = yield* substituteVariables(bodyPath, ctx.variables)
    const evaluated = yield* runCode(`return ${expression}`, { statusCode: response.statusCode, data: response.data })
    if (evaluated.ok) updates.push({ id: variableId, value: normalizeValue(evaluated.value) })
  }
  return applyVariableUpdates(ctx.state, updates, blockId)
}
