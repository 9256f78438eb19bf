/**
 * E-mail over TLS, with a certificate authority made for the test (openssl): TLS from the first
 * byte (SMTP_SECURE=true) and STARTTLS. botflow checks certificates, so a server whose CA the
 * process does not trust gets no e-mail; Node's NODE_EXTRA_CA_CERTS, given to a botflow process,
 * makes it trust that CA.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addCredentials } from '../helpers/ai-flows.js'
import { createApiClient } from '../helpers/api-client.js'
import { createChatClient, findResultOfSession, startConversation } from '../helpers/chat-conversation.js'
import { importAndPublish } from '../helpers/chat-fixtures.js'
import { type FakeSmtp, startFakeSmtp } from '../helpers/fake-smtp-server.js'
import { buildTypebot, text } from '../helpers/flow-builder.js'
import { startChildServer } from '../helpers/start-child-server.js'
import { startTestServer, startTestServerOn, type TestServer } from '../helpers/start-server.js'
import { createTestUser, type TestUser } from '../helpers/users.js'

let dir: string
let pki: { caFile: string; key: string; cert: string }
let setup: TestServer
let owner: TestUser
let implicit: FakeSmtp
let starttls: FakeSmtp
const typebotIds: Record<string, string> = {}

/** Sends one e-mail with the server's own SMTP_* sender (no credentials) or with workspace credentials. */
function mailBot(credentialsId?: string) {
  return buildTypebot({
    variables: [],
    groups: [
      {
        id: 'g',
        title: 'Mail',
        blocks: [
          text('t', 'Sending'),
          {
            id: 'mail',
            type: 'Email',
            options: {
              recipients: ['someone@example.com'],
              subject: 'Over TLS',
              isCustomBody: true,
              body: 'Hello',
              ...(credentialsId ? { credentialsId } : {}),
            },
          },
          text('d', 'Done'),
        ],
      },
    ],
  })
}

/** A CA, and a certificate it signed for 127.0.0.1 and localhost. */
function makeCertificates(into: string) {
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: into, stdio: 'pipe' })
  run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=botflow test CA')
  run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'smtp.key', '-out', 'smtp.csr', '-subj', '/CN=127.0.0.1')
  writeFileSync(join(into, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n')
  run(
    'x509',
    '-req',
    '-in',
    'smtp.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'smtp.pem',
    '-days',
    '2',
    '-extfile',
    'san.ext',
  )
  return {
    caFile: join(into, 'ca.pem'),
    key: readFileSync(join(into, 'smtp.key'), 'utf8'),
    cert: readFileSync(join(into, 'smtp.pem'), 'utf8'),
  }
}

/** The server's own sender speaks TLS from the first byte (SMTP_SECURE); workspace credentials reach the STARTTLS one. */
function serverEnv(): Record<string, string> {
  const { database } = setup.config
  return {
    DATABASE_URL: database.kind === 'sqlite' ? `file:${database.filename}` : database.connectionString,
    ...(setup.config.encryptionSecret ? { ENCRYPTION_SECRET: setup.config.encryptionSecret } : {}),
    // The STARTTLS fake listens on 127.0.0.1, which workspace credentials may only reach with this.
    ALLOW_PRIVATE_HTTP_TARGETS: 'true',
    SMTP_HOST: implicit.host,
    SMTP_PORT: String(implicit.port),
    SMTP_USERNAME: 'bot',
    SMTP_PASSWORD: 'secret-pass',
    SMTP_SECURE: 'true',
    SMTP_FROM: 'bot@botflow.test',
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'botflow-tls-'))
  pki = makeCertificates(dir)
  implicit = await startFakeSmtp(undefined, { mode: 'implicit', key: pki.key, cert: pki.cert })
  starttls = await startFakeSmtp(undefined, { mode: 'starttls', key: pki.key, cert: pki.cert })
  setup = await startTestServer()
  owner = await createTestUser(setup)
  const credentialsId = await addCredentials(owner, 'smtp', {
    host: starttls.host,
    port: starttls.port,
    username: 'bot',
    password: 'secret-pass',
    isTlsEnabled: false,
    from: { email: 'bot@botflow.test' },
  })
  ;[typebotIds.implicit = '', typebotIds.starttls = ''] = await importAndPublish(owner, [
    { fixture: mailBot(), publicId: 'mail-tls-implicit' },
    { fixture: mailBot(credentialsId), publicId: 'mail-tls-starttls' },
  ])
}, 60_000)
afterAll(async () => {
  await setup?.close()
  await implicit?.close()
  await starttls?.close()
  rmSync(dir, { recursive: true, force: true })
})

const modes = [
  ['implicit', 'SMTP_SECURE=true'],
  ['starttls', 'credentials without isTlsEnabled'],
] as const

/** Runs the mail bot of `mode` on `url`; the logs its result got. */
async function sendThrough(url: string, mode: 'implicit' | 'starttls') {
  const typebotId = typebotIds[mode] ?? ''
  const { start, sessionId } = await startConversation(createChatClient(createApiClient(url)), `mail-tls-${mode}`)
  expect(JSON.stringify(start.body.messages)).toContain('Done')
  // The conversation ended in its first turn: its result is found by its session.
  const result = await findResultOfSession(owner, typebotId, sessionId)
  return (await owner.call('GET', `/v1/typebots/${typebotId}/results/${result.id}/logs`)).body.logs
}

describe('SMTP over TLS', () => {
  it('refuses certificates of a CA the process does not trust, and sends nothing', async () => {
    const env = serverEnv()
    const server = await startTestServerOn({ url: env.DATABASE_URL ?? '', env: {}, drop: async () => undefined }, env)
    try {
      for (const [mode] of modes) {
        const logs = await sendThrough(server.url, mode)
        expect(logs).toEqual([
          expect.objectContaining({ status: 'error', description: 'Email not sent', details: expect.stringMatching(/certificate/i) }),
        ])
      }
      expect(implicit.received).toEqual([])
      expect(starttls.received).toEqual([])
    } finally {
      await server.close()
    }
  })

  it('sends over TLS from the first byte and after STARTTLS once NODE_EXTRA_CA_CERTS names the CA', async () => {
    const child = await startChildServer({ ...serverEnv(), NODE_EXTRA_CA_CERTS: pki.caFile })
    try {
      for (const [mode, how] of modes) {
        expect(await sendThrough(child.url, mode), how).toEqual([
          expect.objectContaining({ status: 'success', description: 'Email successfully sent' }),
        ])
      }
    } finally {
      await child.stop()
    }
    for (const smtp of [implicit, starttls]) {
      expect(smtp.received).toHaveLength(1)
      expect(smtp.received[0]?.isSecure).toBe(true)
      expect(smtp.received[0]?.mail.subject).toBe('Over TLS')
    }
  }, 60_000)
})
