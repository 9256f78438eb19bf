import { isRecord, parseUserJson } from '../../../json-record.js'
import type { WebhookListenerBlock } from '../../../schemas/blocks/logic.js'
import type { ExecutableHandler } from '../../block-handler.js'
import { applyResponseMapping } from '../integrations/response-mapping.js'

/**
 * §4.11.8: waits until the resume endpoint relays a payload; the client sends it as text and the
 * response mapping runs over `{statusCode, data}`. Until then, a continueChat without a message
 * (a client polling) gets the `listenForWebhook` action again.
 */
export const webhookListenerHandler: ExecutableHandler<WebhookListenerBlock> = {
  family: 'logic',
  isWaitingForOutsideCall: true,
  *execute() {
    return { clientSideActions: [{ type: 'listenForWebhook', expectsDedicatedReply: true }] }
  },
  *resume(block, text, ctx) {
    const response = parseRelayedText(text)
    if (!isRecord(response)) return {}
    const { state, history } = yield* applyResponseMapping(
      block.options?.responseVariableMapping,
      { statusCode: response.statusCode, data: response.data },
      ctx,
      block.id,
    )
    return { state, setVariableHistory: history }
  },
}

/** Not JSON: the relayed text itself is the data of a successful call. */
function parseRelayedText(text: string): unknown {
  const parsed = parseUserJson(text)
  return parsed === undefined ? { statusCode: 200, data: text } : parsed.value
}
