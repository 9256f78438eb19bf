import type {
  AbTestBlock,
  ConditionBlock,
  JumpBlock,
  RedirectBlock,
  ReturnBlock,
  ScriptBlock,
  SetVariableBlock,
  StartBlock,
  TypebotLinkBlock,
  WaitBlock,
  WebhookListenerBlock,
} from '../../../schemas/blocks/logic.js'
import type { ExecutableHandler } from '../../block-handler.js'
import { abTestHandler } from './ab-test.js'
import { conditionHandler } from './condition.js'
import { jumpHandler } from './jump.js'
import { redirectHandler } from './redirect.js'
import { returnHandler } from './return.js'
import { scriptHandler } from './script.js'
import { setVariableHandler } from './set-variable/index.js'
import { startHandler } from './start.js'
import { typebotLinkHandler } from './typebot-link.js'
import { waitHandler } from './wait.js'
import { webhookListenerHandler } from './webhook-listener.js'

type LogicHandlers = {
  'Set variable': ExecutableHandler<SetVariableBlock>
  Condition: ExecutableHandler<ConditionBlock>
  Redirect: ExecutableHandler<RedirectBlock>
  Code: ExecutableHandler<ScriptBlock>
  'Typebot link': ExecutableHandler<TypebotLinkBlock>
  Wait: ExecutableHandler<WaitBlock>
  'AB test': ExecutableHandler<AbTestBlock>
  webhook: ExecutableHandler<WebhookListenerBlock>
  Jump: ExecutableHandler<JumpBlock>
  Return: ExecutableHandler<ReturnBlock>
  start: ExecutableHandler<StartBlock>
}

/** Logic block handlers keyed by block type (§4.11). */
export const logicHandlers: LogicHandlers = {
  'Set variable': setVariableHandler,
  Condition: conditionHandler,
  Redirect: redirectHandler,
  Code: scriptHandler,
  'Typebot link': typebotLinkHandler,
  Wait: waitHandler,
  'AB test': abTestHandler,
  webhook: webhookListenerHandler,
  Jump: jumpHandler,
  Return: returnHandler,
  start: startHandler,
}
