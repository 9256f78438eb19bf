import { AppError } from '../../../errors.js'
import { isRecord, parseUserJson } from '../../../json-record.js'
import type { HttpRequestBlock } from '../../../schemas/blocks/integrations.js'
import type { BlockContext, ExecutableHandler } from '../../block-handler.js'
import type { ChatLog, Effectful, EffectResult, HttpResponseResult } from '../../types.js'
import type { BuiltHttpRequest, WebhookOptions } from './build-http-request.js'
import { buildHttpRequest } from './build-http-request.js'
import { applyResponseMapping } from './response-mapping.js'

/**
 * §7.1: the HTTP request block (`"Webhook"`) and its Zapier / Make.com / Pabbly variants. The
 * server performs the request as an effect; with "execute on client" the walk stops on a blocking
 * `httpRequestToExecute` action and `resume` receives `{statusCode, data}` from the client.
 */
export const httpRequestHandler: ExecutableHandler<HttpRequestBlock> = {
  family: 'integration',
  *execute(block, ctx) {
    const webhook = yield* withSubscribedUrl(block, ctx)
    if (!webhook) return {}
    const built = yield* buildHttpRequest(block, webhook, ctx)
    if (!built) return { logs: [{ status: 'error', description: "Couldn't parse webhook attributes" }] }

    if (block.options?.isExecutedOnClient) {
      const { url, method, headers } = built.request
      const body = built.clientBody === undefined ? {} : { body: built.clientBody }
      return {
        clientSideActions: [
          { type: 'httpRequestToExecute', httpRequestToExecute: { url, method, headers, ...body }, expectsDedicatedReply: true },
        ],
      }
    }

    const result: EffectResult = yield { type: 'httpRequest', request: built.request }
    const response = result.type === 'httpRequest' ? result.response : unexpectedEffectResult(result)
    const { state, history } = yield* applyResponseMapping(block.options?.responseVariableMapping, response, ctx, block.id)
    return { state, setVariableHistory: history, logs: [outcomeLog(response, built)] }
  },
  *resume(block, text, ctx) {
    const reply = parseClientReply(text)
    if (!isRecord(reply)) return {}
    const { state, history } = yield* applyResponseMapping(
      block.options?.responseVariableMapping,
      { statusCode: reply.statusCode, data: reply.data },
      ctx,
      block.id,
    )
    const isError = /^[45]/.test(String(reply.statusCode ?? ''))
    const log: ChatLog = {
      status: isError ? 'error' : 'success',
      description: isError ? 'HTTP request returned error' : 'HTTP request executed successfully!',
      details: JSON.stringify(reply.data) ?? 'undefined',
    }
    return { state, setVariableHistory: history, logs: [log] }
  },
}

/** Blocks an automation platform subscribes to; an HTTP request block keeps a URL of its own. */
const subscribedTypes = new Set(['Zapier', 'Make.com', 'Pabbly'])

/**
 * The block's request, with the URL Zapier or Make subscribed to it when there is one (Typebot
 * writes that URL into the block; botflow keeps subscriptions aside, so they apply at once).
 */
function* withSubscribedUrl(block: HttpRequestBlock, ctx: BlockContext): Effectful<WebhookOptions | undefined> {
  const webhook = block.options?.webhook
  if (!subscribedTypes.has(block.type) && webhook?.url) return webhook
  const found: EffectResult = yield { type: 'findWebhookBlockUrl', typebotId: ctx.state.typebotsQueue[0].typebotId, blockId: block.id }
  const url = found.type === 'findWebhookBlockUrl' ? found.url : undefined
  return url ? { ...webhook, url } : webhook
}

function parseClientReply(text: string): unknown {
  const parsed = parseUserJson(text)
  if (parsed === undefined) throw new AppError('INVALID_REQUEST', 'Provided response is not valid JSON')
  return parsed.value
}

/** §7.1.4 step 4 and the security refusals, which are logged under their own description. */
function outcomeLog(response: HttpResponseResult, built: BuiltHttpRequest): ChatLog {
  const { statusCode } = response
  const request = built.loggedRequest
  if (response.error !== undefined) {
    return { status: 'error', description: response.error, details: JSON.stringify({ statusCode, request }) }
  }
  const responseText = response.text ?? (typeof response.data === 'string' ? response.data : JSON.stringify(response.data))
  if (statusCode >= 200 && statusCode < 300) {
    return {
      status: 'success',
      description: 'Webhook successfuly executed.',
      details: JSON.stringify({ statusCode, response: responseText, request }),
    }
  }
  return {
    status: 'error',
    description: 'Webhook returned an error.',
    details: JSON.stringify({ statusCode, request, response: responseText }),
  }
}

function unexpectedEffectResult(result: EffectResult): HttpResponseResult {
  const error = `Expected an httpRequest result, got ${result.type}`
  return { statusCode: 500, data: { message: error }, error }
}
