import { type ParsedMail, simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'

export type ReceivedMail = { envelope: { from: string; to: string[] }; mail: ParsedMail }

export type FakeSmtp = {
  host: string
  port: number
  /** botflow's SMTP settings for this server and its login (a test sets its own SMTP_FROM on top when it checks the sender). */
  env: Record<string, string>
  /** Every e-mail received, in order: botflow answers a turn after its e-mails were accepted. */
  received: ReceivedMail[]
  close(): Promise<void>
}

/**
 * An SMTP server on 127.0.0.1 (the `smtp-server` package) that accepts one login and parses what
 * it receives with `mailparser`. Plain SMTP with AUTH PLAIN/LOGIN: no STARTTLS, so no certificate.
 */
export async function startFakeSmtp(login = { username: 'bot', password: 'secret-pass' }): Promise<FakeSmtp> {
  const received: ReceivedMail[] = []
  const server = new SMTPServer({
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    authOptional: false,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === login.username && auth.password === login.password) callback(null, { user: auth.username })
      else callback(new Error('Invalid username or password'))
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : ''
          received.push({ envelope: { from, to: session.envelope.rcptTo.map((recipient) => recipient.address) }, mail })
          callback()
        },
        (error: Error) => callback(error),
      )
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    host: '127.0.0.1',
    port,
    env: {
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(port),
      SMTP_USERNAME: login.username,
      SMTP_PASSWORD: login.password,
      SMTP_FROM: 'bot@botflow.test',
    },
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
