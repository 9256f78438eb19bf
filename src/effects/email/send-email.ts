/**
 * Sends the e-mails of Email blocks with nodemailer. Every failure is a value (the block logs it
 * and the flow goes on): no credentials, a refused host, a bad attachment, a refused login, a
 * server that does not answer in time.
 */
import { isIP } from 'node:net'
import type { Readable } from 'node:stream'
import type { EffectRequest, EffectResult } from '../../engine/types.js'
import { checkTarget, type SsrfPolicy } from '../ssrf-guard.js'
import { type FindSmtpCredentials, findSmtpServer, parseAddress, type SmtpEnvironment, type SmtpServer } from './smtp-server-of.js'

export type EmailAttachment = { filename: string; content: Readable; contentType: string }

/** Reads the files an e-mail attaches (botflow's own uploads only); the shell provides it. */
export type LoadAttachments = (
  urls: readonly string[],
  origin: { typebotId: string; resultId?: string },
) => Promise<{ ok: true; attachments: EmailAttachment[] } | { ok: false; error: string }>

export type EmailSenderDeps = {
  environment?: SmtpEnvironment
  findCredentials?: FindSmtpCredentials
  loadAttachments: LoadAttachments
  ssrf: SsrfPolicy
  timeoutMs: number
}

type SendEmailRequest = Extract<EffectRequest, { type: 'sendEmail' }>

export type EmailSender = (request: SendEmailRequest) => Promise<Extract<EffectResult, { type: 'sendEmail' }>>

export function createEmailSender(deps: EmailSenderDeps): EmailSender {
  return async (request) => {
    const found = await findSmtpServer(request.sender, deps)
    if (!found.ok) return failed(found.error)
    const target = await resolveHost(found.server, deps.ssrf)
    if (!target.ok) return failed(target.error)
    const files = await deps.loadAttachments(request.email.attachmentUrls ?? [], request.origin)
    if (!files.ok) return failed(files.error)
    try {
      const nodemailer = await import('nodemailer')
      const { server } = found
      const transport = nodemailer.createTransport({
        host: target.address,
        port: server.port,
        secure: server.secure,
        ...(server.auth ? { auth: server.auth } : {}),
        // The certificate is checked against the name, while the connection goes to the checked address.
        tls: { servername: isIP(server.host) ? undefined : server.host },
        connectionTimeout: deps.timeoutMs,
        greetingTimeout: deps.timeoutMs,
        socketTimeout: deps.timeoutMs,
      })
      const { email } = request
      // Typebot's rule: a reply-to with a name lends it to the sender.
      const fromName = (email.replyTo && parseAddress(email.replyTo).name) || server.from.name
      await transport.sendMail({
        from: fromName ? { name: fromName, address: server.from.email } : server.from.email,
        to: email.to,
        ...(email.cc ? { cc: email.cc } : {}),
        ...(email.bcc ? { bcc: email.bcc } : {}),
        ...(email.replyTo ? { replyTo: email.replyTo } : {}),
        ...(email.subject ? { subject: email.subject } : {}),
        ...(email.text ? { text: email.text } : {}),
        ...(email.html ? { html: email.html } : {}),
        attachments: files.attachments,
        // Nothing in an e-mail may make nodemailer read a local file or fetch a URL.
        disableFileAccess: true,
        disableUrlAccess: true,
      })
      transport.close()
      return { type: 'sendEmail', ok: true }
    } catch (error) {
      for (const attachment of files.attachments) attachment.content.destroy()
      return failed(error instanceof Error ? error.message : String(error))
    }
  }
}

/** A workspace's SMTP host goes through the SSRF guard; the operator's own server is trusted. */
async function resolveHost(server: SmtpServer, policy: SsrfPolicy): Promise<{ ok: true; address: string } | { ok: false; error: string }> {
  if (server.isTrusted) return { ok: true, address: server.host }
  const host = server.host.includes(':') && !server.host.startsWith('[') ? `[${server.host}]` : server.host
  const checked = await checkTarget(`https://${host}/`, policy)
  if (checked.status === 'refused') return { ok: false, error: `SMTP host refused: ${checked.reason}` }
  if (checked.status === 'unresolved') return { ok: false, error: `SMTP host not found: ${checked.error.message}` }
  const address = checked.addresses[0]?.address
  return address ? { ok: true, address } : { ok: false, error: `SMTP host not found: ${server.host}` }
}

function failed(error: string): Extract<EffectResult, { type: 'sendEmail' }> {
  return { type: 'sendEmail', ok: false, error }
}
