import type { ChatwootBlock } from '../../../schemas/blocks/integrations.js'
import type { ExecutableHandler } from '../../block-handler.js'
import type { Variable } from '../../types.js'
import { guessValueType } from '../../variables.js'

const DEFAULT_BASE_URL = 'https://app.chatwoot.com'

type ScriptArg = { id: string; value: unknown }
type ChatwootUser = NonNullable<NonNullable<ChatwootBlock['options']>['user']>

/**
 * §7.6: a non-blocking `chatwoot` action whose script loads the Chatwoot widget and opens it
 * (or closes it). User fields may hold `{{variables}}`: they become JavaScript expressions over
 * the variables' ids, bound by `args` when the client runs the script.
 */
export const chatwootHandler: ExecutableHandler<ChatwootBlock> = {
  family: 'integration',
  *execute(block, ctx) {
    const options = block.options ?? {}
    const isClosing = options.task === 'Close widget'
    if (!isClosing && ctx.state.isPreview) {
      return {
        clientSideActions: [{ type: 'chatwoot', chatwoot: { scriptToExecute: { content: '', args: [] } } }],
        logs: [{ status: 'info', description: 'Chatwoot block is not supported in preview' }],
      }
    }
    const args: ScriptArg[] = []
    const content = isClosing
      ? closeWidgetScript()
      : openWidgetScript(
          options.baseUrl || DEFAULT_BASE_URL,
          options.websiteToken ?? '',
          userExpressions(options.user, ctx.variables, args),
        )
    return { clientSideActions: [{ type: 'chatwoot', chatwoot: { scriptToExecute: { content, args } } }] }
  },
}

type UserExpressions = { id: string; email: string; name: string; avatarUrl: string; phoneNumber: string }

function userExpressions(user: ChatwootUser | undefined, variables: Variable[], args: ScriptArg[]): UserExpressions {
  const toExpression = (text: string | undefined) => toJsExpression(text, variables, args)
  return {
    id: toExpression(user?.id),
    email: toExpression(user?.email),
    name: toExpression(user?.name),
    avatarUrl: toExpression(user?.avatarUrl),
    phoneNumber: toExpression(user?.phoneNumber),
  }
}

/** `Hi {{Name}}` -> `"Hi " + __text(v123)`; a lone `{{Name}}` keeps the value's own type. */
function toJsExpression(text: string | undefined, variables: Variable[], args: ScriptArg[]): string {
  if (!text) return 'undefined'
  const parts = text.split(/(\{\{[^{}]+\}\})/).filter((part) => part !== '')
  const expressions = parts.map((part) => {
    const reference = /^\{\{([^{}]+)\}\}$/.exec(part)
    if (!reference) return JSON.stringify(part)
    const variable = variables.find((candidate) => candidate.name === reference[1])
    if (!variable) return '""'
    if (!args.some((arg) => arg.id === variable.id)) args.push({ id: variable.id, value: guessValueType(variable.value) })
    return parts.length === 1 ? variable.id : `__text(${variable.id})`
  })
  return expressions.join(' + ')
}

function openWidgetScript(baseUrl: string, websiteToken: string, user: UserExpressions): string {
  return `const __text = (value) => (value === undefined || value === null ? "" : String(value));
const baseUrl = ${JSON.stringify(baseUrl.replace(/\/+$/, ''))};
const user = { identifier: ${user.id}, email: ${user.email}, name: ${user.name}, avatar_url: ${user.avatarUrl}, phone_number: ${user.phoneNumber} };
const openWidget = () => {
  const identifier = user.identifier || user.email;
  if (identifier) {
    const { identifier: _identifier, ...attributes } = user;
    window.$chatwoot.setUser(String(identifier), Object.fromEntries(Object.entries(attributes).filter(([, value]) => value !== undefined && value !== "")));
  }
  window.$chatwoot.toggle("open");
};
if (window.$chatwoot) {
  openWidget();
} else {
  window.addEventListener("chatwoot:ready", openWidget, { once: true });
  const script = document.createElement("script");
  script.src = baseUrl + "/packs/js/sdk.js";
  script.async = true;
  script.onload = () => window.chatwootSDK.run({ websiteToken: ${JSON.stringify(websiteToken)}, baseUrl });
  document.head.appendChild(script);
}`
}

function closeWidgetScript(): string {
  return `if (window.$chatwoot) window.$chatwoot.toggle("close");`
}
