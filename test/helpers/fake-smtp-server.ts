import { type ParsedMail, simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'

/** `isSecure`: the mail came over TLS (implicit, or after STARTTLS). */
export type ReceivedMail = { envelope: { from: string; to: string[] }; mail: ParsedMail; isSecure: boolean }

/**
 * TLS of the fake: `implicit` speaks TLS from the first byte (port 465 style, `secure: true`),
 * `starttls` offers STARTTLS on a plain connection. The key and certificate are PEM.
 */
export type FakeSmtpTls = { mode: 'implicit' | 'starttls'; key: string; cert: string }

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
 * it receives with `mailparser`. Plain SMTP with AUTH PLAIN/LOGIN unless `tls` is given (then the
 * login is refused before TLS).
 */
export async function startFakeSmtp(login = { username: 'bot', password: 'secret-pass' }, tls?: FakeSmtpTls): Promise<FakeSmtp> {
  const received: ReceivedMail[] = []
  const transport = tls
    ? { allowInsecureAuth: false, secure: tls.mode === 'implicit', key: tls.key, cert: tls.cert }
    : { allowInsecureAuth: true, disabledCommands: ['STARTTLS'] }
  const server = new SMTPServer({
    ...transport,
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
          const to = session.envelope.rcptTo.map((recipient) => recipient.address)
          received.push({ envelope: { from, to }, mail, isSecure: session.secure })
          callback()
        },
        (error: Error) => callback(error),
      )
    },
  })
  // A client that refuses the certificate drops the connection: an error event, not a failure of the fake.
  server.on('error', () => undefined)
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
