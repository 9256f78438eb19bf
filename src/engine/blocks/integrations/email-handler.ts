import type { EmailBlock } from '../../../schemas/blocks/integrations.js'
import type { BlockContext, ExecutableHandler } from '../../block-handler.js'
import type { ChatLog, EffectRequest, EffectResult } from '../../types.js'
import { findSingleReferencedVariable, hasValue, substituteVariables } from '../../variables.js'

type Email = Extract<EffectRequest, { type: 'sendEmail' }>['email']
type EmailOptions = NonNullable<EmailBlock['options']>

/**
 * §7.3: builds the email (recipients, subject and body substituted) and asks the shell to send
 * it. Never sent from preview sessions; failures are logged and the flow goes on.
 */
export const emailHandler: ExecutableHandler<EmailBlock> = {
  family: 'integration',
  *execute(block, ctx) {
    const options = block.options ?? {}
    if (ctx.state.isPreview) return { logs: [{ status: 'info', description: 'Emails are not sent in preview mode' }] }
    if (!options.recipients?.length) return {}
    if (!options.credentialsId) {
      return { logs: [{ status: 'error', description: 'No credentials found, make sure to configure your SMTP provider properly' }] }
    }
    const email = buildEmail(options, ctx)
    if (email.to.length === 0) return { logs: [notSent('No recipients found')] }
    if (!email.text && !email.html) return { logs: [notSent('No email body found')] }

    const result: EffectResult = yield { type: 'sendEmail', email }
    if (result.type === 'sendEmail' && result.ok) {
      const { to, cc, bcc, replyTo, subject } = email
      return {
        logs: [{ status: 'success', description: 'Email successfully sent', details: JSON.stringify({ to, cc, bcc, replyTo, subject }) }],
      }
    }
    return { logs: [notSent(result.type === 'sendEmail' ? (result.error ?? 'Unknown error') : `Unexpected ${result.type} result`)] }
  },
}

function notSent(details: string): ChatLog {
  return { status: 'error', description: 'Email not sent', details }
}

function buildEmail(options: EmailOptions, ctx: BlockContext): Email {
  const substitute = (text: string | undefined) => substituteVariables(text, ctx.variables, ctx.env)
  const addresses = (list: string[] | undefined) =>
    (list ?? [])
      .flatMap((entry) => substitute(entry).split(','))
      .map((address) => address.trim())
      .filter((address) => address !== '')
  const cc = addresses(options.cc)
  const bcc = addresses(options.bcc)
  const replyTo = substitute(options.replyTo)
  const subject = substitute(options.subject)
  const isCustomBody = options.isCustomBody ?? Boolean(options.body)
  const body = isCustomBody ? customBodyText(options, ctx) : defaultHtmlBody(ctx)
  const isHtml = !isCustomBody || options.isBodyCode === true
  return {
    to: addresses(options.recipients),
    ...(cc.length > 0 ? { cc } : {}),
    ...(bcc.length > 0 ? { bcc } : {}),
    ...(replyTo ? { replyTo } : {}),
    ...(subject ? { subject } : {}),
    ...(body === '' ? {} : isHtml ? { html: body } : { text: body }),
  }
}

/** A body that is one variable keeps its line breaks as `<br />`; others are substituted. */
function customBodyText(options: EmailOptions, ctx: BlockContext): string {
  const single = findSingleReferencedVariable(options.body?.trim(), ctx.variables)
  if (single) {
    const value = single.value
    if (!hasValue(value)) return ''
    return typeof value === 'string' ? value.replace(/\n/g, '<br />') : value.join('<br />')
  }
  return substituteVariables(options.body, ctx.variables, ctx.env, { mode: options.isBodyCode ? 'text' : 'html' })
}

/** Every answer and variable as one line each (Typebot adds a results link botflow has no page for). */
function defaultHtmlBody(ctx: BlockContext): string {
  const fields = new Map<string, string>()
  for (const answer of ctx.state.typebotsQueue[0]?.answers ?? []) fields.set(answer.key, answer.value)
  for (const variable of ctx.variables) {
    if (hasValue(variable.value)) fields.set(variable.name, typeof variable.value === 'string' ? variable.value : variable.value.join(', '))
  }
  if (fields.size === 0) return ''
  const lines = [...fields].map(
    ([key, value]) => `<p><strong>${escapeHtml(key)}</strong>: ${escapeHtml(value).replace(/\n/g, '<br />')}</p>`,
  )
  return `<div>${lines.join('')}</div>`
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}
