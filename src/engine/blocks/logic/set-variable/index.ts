import { parseUserJson } from '../../../../json-record.js'
import type { SetVariableBlock } from '../../../../schemas/blocks/logic.js'
import type { ExecutableHandler } from '../../../block-handler.js'
import { applyVariableUpdates } from '../../../state.js'
import { normalizeValue } from '../../../variables.js'
import { buildClientScript } from '../client-script.js'
import { deviceTypeCode, momentOfTheDayCode } from './client-code.js'
import { computeValue } from './compute-value.js'

/**
 * §4.11.9. Values only a browser knows (custom code marked "execute on client", device type,
 * moment of the day) are asked from the client with a blocking `setVariable` action; the text it
 * sends back is applied by `resume`. Everything else is computed here.
 */
export const setVariableHandler: ExecutableHandler<SetVariableBlock> = {
  family: 'logic',
  *execute(block, ctx) {
    const options = block.options
    const target = ctx.variables.find((variable) => variable.id === options?.variableId)
    if (!options || !target) return {}

    const clientCode = clientCodeOf(block)
    if (clientCode !== undefined) {
      const script = yield* buildClientScript(clientCode, ctx.variables)
      const isCustom = (options.type ?? 'Custom') === 'Custom'
      return {
        clientSideActions: [
          {
            type: 'setVariable',
            setVariable: {
              scriptToExecute: {
                ...script,
                isCode: isCustom && options.isCode === true,
                ...(options.isUnsafe !== undefined ? { isUnsafe: options.isUnsafe } : {}),
              },
            },
            expectsDedicatedReply: true,
          },
        ],
      }
    }

    const computed = yield* computeValue(block, target, ctx)
    if (!computed) return {}
    const { state, history } = applyVariableUpdates(ctx.state, computed.updates, block.id)
    return { state, setVariableHistory: history, ...(computed.logs ? { logs: computed.logs } : {}) }
  },
  *resume(block, text, ctx) {
    const variableId = block.options?.variableId
    if (!variableId) return {}
    const { state, history } = applyVariableUpdates(
      ctx.state,
      [{ id: variableId, value: normalizeValue(parseClientValue(text)) }],
      block.id,
    )
    return { state, setVariableHistory: history }
  },
}

/** The code the client must evaluate, or undefined when the server computes the value. */
function clientCodeOf(block: SetVariableBlock): string | undefined {
  const options = block.options
  switch (options?.type ?? 'Custom') {
    case 'Custom':
      return options?.isExecutedOnClient === true ? (options.expressionToEvaluate ?? '') : undefined
    case 'Device type':
      return deviceTypeCode
    case 'Moment of the day':
      return momentOfTheDayCode
    default:
      return undefined
  }
}

/** The client sends the stringified result: JSON when it parses, the raw text otherwise. */
function parseClientValue(text: string): unknown {
  if (text === '') return null
  const parsed = parseUserJson(text)
  return parsed === undefined ? text : parsed.value
}
