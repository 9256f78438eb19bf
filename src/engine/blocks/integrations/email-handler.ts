import type { EmailBlock } from '../../../schemas/blocks/integrations.js'
import type { BlockContext, ExecutableHandler } from '../../block-handler.js'
import type { ChatLog, Effectful, EffectRequest, EffectResult } from '../../types.js'
import { findSingleReferencedVariable, hasValue, substituteVariables } from '../../variables.js'

type Email = Extract<EffectRequest, { type: 'sendEmail' }>['email']
type EmailOptions = NonNullable<EmailBlock['options']>

/**
 * §7.3: builds the email (recipients, subject, body and attachment URLs) and asks the shell to
 * send it with the block's SMTP credentials, or the server's sender when it names none. Never
 * sent from preview sessions; failures are logged and the flow goes on.
 */
export const emailHandler: ExecutableHandler<EmailBlock> = {
  family: 'integration',
  *execute(block, ctx) {
    const options = block.options ?? {}
    if (ctx.state.isPreview) return { logs: [{ status: 'info', description: 'Emails are not sent in preview mode' }] }
    if (!options.recipients?.length) return {}
    const email = yield* buildEmail(options, ctx)
    if (email.to.length === 0) return { logs: [notSent('No recipients found')] }
    if (!email.text && !email.html) return { logs: [notSent('No email body found')] }

    const top = ctx.state.typebotsQueue[0]
    // No credentials (or "default"): the server's own sender, found by the shell like any credentials.
    const result: EffectResult = yield {
      type: 'sendEmail',
      email,
      sender: { workspaceId: ctx.state.workspaceId, ...(options.credentialsId ? { credentialsId: options.credentialsId } : {}) },
      origin: { typebotId: top.typebotId, ...(top.resultId ? { resultId: top.resultId } : {}) },
    }
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

function* buildEmail(options: EmailOptions, ctx: BlockContext): Effectful<Email> {
  const substitute = (text: string | undefined) => substituteVariables(text, ctx.variables)
  function* addresses(list: string[] | undefined): Effectful<string[]> {
    const found: string[] = []
    for (const entry of list ?? []) {
      for (const address of (yield* substitute(entry)).split(',')) if (address.trim() !== '') found.push(address.trim())
    }
    return found
  }
  const cc = yield* addresses(options.cc)
  const bcc = yield* addresses(options.bcc)
  const replyTo = yield* substitute(options.replyTo)
  const subject = yield* substitute(options.subject)
  const isCustomBody = options.isCustomBody ?? Boolean(options.body)
  const body = isCustomBody ? yield* customBodyText(options, ctx) : defaultHtmlBody(ctx)
  const isHtml = !isCustomBody || options.isBodyCode === true
  const attachmentUrls = attachmentUrlsOf(options.attachmentsVariableId, ctx)
  return {
    to: yield* addresses(options.recipients),
    ...(cc.length > 0 ? { cc } : {}),
    ...(bcc.length > 0 ? { bcc } : {}),
    ...(replyTo ? { replyTo } : {}),
    ...(subject ? { subject } : {}),
    ...(body === '' ? {} : isHtml ? { html: body } : { text: body }),
    ...(attachmentUrls.length > 0 ? { attachmentUrls } : {}),
  }
}

/** The file URLs a variable holds: a list, or a text of URLs separated by ", " (a file input's answer). */
function attachmentUrlsOf(variableId: string | undefined, ctx: BlockContext): string[] {
  const value = variableId ? ctx.variables.find((variable) => variable.id === variableId)?.value : undefined
  const urls = typeof value === 'string' ? value.split(', ') : (value ?? [])
  return urls.flatMap((url) => (typeof url === 'string' && url.trim() !== '' ? [url.trim()] : []))
}

/** A body that is one variable keeps its line breaks as `<br />`; others are substituted. */
function* customBodyText(options: EmailOptions, ctx: BlockContext): Effectful<string> {
  const single = findSingleReferencedVariable(options.body?.trim(), ctx.variables)
  if (single) {
    const value = single.value
    if (!hasValue(value)) return ''
    return typeof value === 'string' ? value.replace(/\n/g, '<br />') : value.join('<br />')
  }
  return yield* substituteVariables(options.body, ctx.variables, { mode: options.isBodyCode ? 'text' : 'html' })
}

/** Every answer and variable as one line each (Typebot adds a results link botflow has no page for). */
function defaultHtmlBody(ctx: BlockContext): string {
  const fields = new Map<string, string>()
  for (const answer of ctx.state.typebotsQueue[0]?.answers ?? []) fields.set(answer.key, answer.value)
  for (const variable of ctx.variables) {
    if (hasValue(variable.value)) fields.set(variable.name, typeof variable.value === 'string' ? variable.value : variable.value.join(', '))
  }
  if (fields.size === 0) return ''
  const lines = [...fields].map(([key, value]) => `<p><strong>${escapeHtml(key)}</strong>: ${formatValue(value)}</p>`)
  return `<div>${lines.join('')}</div>`
}

/** As Typebot's notification e-mail: an address becomes a mailto link, line breaks stay. */
function formatValue(value: string): string {
  const escaped = escapeHtml(value)
  return emailPattern.test(value) ? `<a href="mailto:${escaped}">${escaped}</a>` : escaped.replace(/\n/g, '<br />')
}

const emailPattern = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}
