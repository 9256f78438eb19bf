import type { WebhookListenerBlock } from '../../../schemas/blocks/logic.js'
import type { ExecutableHandler } from '../../block-handler.js'
import { applyVariableUpdates } from '../../state.js'
import { normalizeValue, substituteVariables } from '../../variables.js'

/**
 * §4.11.8: waits until the resume endpoint relays a payload; the client sends it as text and the
 * response mapping runs over `{statusCode, data}`.
 */
export const webhookListenerHandler: ExecutableHandler<WebhookListenerBlock> = {
  family: 'logic',
  *execute() {
    return { clientSideActions: [{ type: 'listenForWebhook', expectsDedicatedReply: true }] }
  },
  *resume(block, text, ctx) {
    const response = parseRelayedText(text)
    if (!isPlainObject(response)) return {}
    const updates = (block.options?.responseVariableMapping ?? []).flatMap((mapping) => {
      if (!mapping.bodyPath || !mapping.variableId) return []
      if (!ctx.variables.some((variable) => variable.id === mapping.variableId)) return []
      const path = substituteVariables(mapping.bodyPath, ctx.variables, ctx.env)
      const evaluated = ctx.env.runCode(`return ${path}`, { statusCode: response.statusCode, data: response.data })
      return evaluated.ok ? [{ id: mapping.variableId, value: normalizeValue(evaluated.value) }] : []
    })
    const { state, history } = applyVariableUpdates(ctx.state, updates, block.id)
    return { state, setVariableHistory: history }
  },
}

function parseRelayedText(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return { statusCode: 200, data: text }
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
