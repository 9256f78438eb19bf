/** Handlers of the built-in integration blocks (docs/runtime.md §7), keyed by block type. */
import type { ExecutableHandler } from '../../block-handler.js'
import { aiHandlers } from './ai/index.js'
import { chatwootHandler } from './chatwoot-handler.js'
import { emailHandler } from './email-handler.js'
import { googleAnalyticsHandler } from './google-analytics-handler.js'
import { httpRequestHandler } from './http-request-handler.js'
import { pixelHandler } from './pixel-handler.js'
import { skippedIntegrationHandler } from './skipped-integration-handler.js'

export const integrationHandlers: Record<string, ExecutableHandler> = {
  Webhook: httpRequestHandler,
  Zapier: httpRequestHandler,
  'Make.com': httpRequestHandler,
  Pabbly: httpRequestHandler,
  Email: emailHandler,
  Chatwoot: chatwootHandler,
  'Google Analytics': googleAnalyticsHandler,
  Pixel: pixelHandler,
  'Google Sheets': skippedIntegrationHandler,
  ...aiHandlers,
}

export { applyResponseMapping } from './response-mapping.js'
