import type { ScriptBlock } from '../../../schemas/blocks/logic.js'
import type { ExecutableHandler, ExecutionResult } from '../../block-handler.js'
import { applyVariableUpdates } from '../../state.js'
import type { EffectResult } from '../../types.js'
import { findVariableByName, guessValueType, normalizeValue, substituteVariables } from '../../variables.js'
import { buildClientScript } from './client-script.js'

/**
 * §4.11.6: client-side scripts become a non-blocking `scriptToExecute` action; server-side ones
 * run in the shell's sandbox and may set variables by name.
 */
export const scriptHandler: ExecutableHandler<ScriptBlock> = {
  family: 'logic',
  *execute(block, ctx) {
    const source = block.options?.content
    if (!source) return {}
    if (block.options?.isExecutedOnClient !== false) {
      const script = yield* buildClientScript(source, ctx.variables)
      const isUnsafe = block.options?.isUnsafe
      return {
        clientSideActions: [
          {
            type: 'scriptToExecute',
            scriptToExecute: { ...script, ...(isUnsafe !== undefined ? { isUnsafe } : {}) },
          },
        ],
      }
    }

    const content = yield* substituteVariables(source, ctx.variables, { mode: 'id' })
    const result: EffectResult = yield {
      type: 'runServerScript',
      content,
      // As Typebot does for server scripts: only the variables the code mentions are bound.
      variables: ctx.variables
        .filter((variable) => content.includes(variable.id))
        .map((variable) => ({ id: variable.id, name: variable.name, value: guessValueType(variable.value) })),
    }
    if (result.type !== 'runServerScript') return {}
    const updates = result.variablesToSet.flatMap(({ name, value }) => {
      const variable = findVariableByName(ctx.variables, name)
      return variable ? [{ id: variable.id, value: normalizeValue(value) }] : []
    })
    const { state, history } = applyVariableUpdates(ctx.state, updates, block.id)
    const outcome: ExecutionResult = { state, setVariableHistory: history }
    if (result.ok) return outcome
    return {
      ...outcome,
      logs: [{ status: 'error', context: 'While executing function', description: result.error ?? 'Script failed' }],
    }
  },
}
