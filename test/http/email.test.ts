import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiClient } from '../helpers/api-client.js'
import { createChatClient, startConversation, startPreview, textsOf } from '../helpers/chat-conversation.js'
import { importAndPublish } from '../helpers/chat-fixtures.js'
import { type FakeSmtp, startFakeSmtp } from '../helpers/fake-smtp-server.js'
import { buildTypebot, type TestBlock, text, textInput } from '../helpers/flow-builder.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { createTestUser, type TestUser } from '../helpers/users.js'

let smtp: FakeSmtp
let server: TestServer
let owner: TestUser
let ids: Record<string, string>

const emailBlock = (options: Record<string, unknown>): TestBlock => ({
  id: 'mail',
  type: 'Email',
  options: { recipients: ['{{Email}}'], ...options },
})

/** Asks a name and an e-mail address (and optionally files), sends the e-mail, then says "Done". */
function mailBot(name: string, email: TestBlock, extraBlocks: TestBlock[] = []) {
  return buildTypebot({
    name,
    groups: [
      { id: 'g1', title: 'Name', blocks: [text('t1', 'Name?'), textInput('in1', 'vName')], next: 'g2' },
      {
        id: 'g2',
        title: 'Email',
        blocks: [text('t2', 'Email?'), { id: 'in2', type: 'email input', options: { variableId: 'vEmail' } }],
        next: 'g3',
      },
      { id: 'g3', title: 'Send', blocks: [...extraBlocks, email, text('t3', 'Done')] },
    ],
    variables: [
      { id: 'vName', name: 'Name' },
      { id: 'vEmail', name: 'Email' },
      { id: 'vFiles', name: 'Files' },
    ],
  })
}

beforeAll(async () => {
  smtp = await startFakeSmtp()
  server = await startTestServer({
    ...smtp.env,
    SMTP_FROM: '"Botflow Bot" <bot@botflow.test>',
  })
  owner = await createTestUser(server)
  const bots = {
    text: mailBot(
      'text',
      emailBlock({
        cc: ['cc@example.com'],
        bcc: ['bcc@example.com'],
        replyTo: 'Support team <support@example.com>',
        subject: 'Hello {{Name}}',
        isCustomBody: true,
        body: 'Hi {{Name}},\nthanks!',
      }),
    ),
    html: mailBot('html', emailBlock({ subject: 'Html', isCustomBody: true, isBodyCode: true, body: '<h1>Hi {{Name}}</h1>' })),
    answers: mailBot('answers', emailBlock({ credentialsId: 'default', subject: 'New answers', recipients: ['owner@example.com'] })),
    files: mailBot('files', emailBlock({ subject: 'Your files', isCustomBody: true, body: 'Attached.', attachmentsVariableId: 'vFiles' }), [
      { id: 'file1', type: 'file input', options: { variableId: 'vFiles', isMultipleAllowed: true } },
    ]),
    forged: mailBot('forged', emailBlock({ subject: 'Forged', isCustomBody: true, body: 'x', attachmentsVariableId: 'vFiles' }), [
      { id: 'set', type: 'Set variable', options: { variableId: 'vFiles', expressionToEvaluate: "'https://evil.example/secret.pdf'" } },
    ]),
  }
  const imported = await importAndPublish(
    owner,
    Object.entries(bots).map(([publicId, fixture]) => ({ fixture, publicId: `mail-${publicId}` })),
  )
  ids = Object.fromEntries(Object.keys(bots).map((name, index) => [name, imported[index] ?? '']))
})
afterAll(async () => {
  await server?.close()
  await smtp?.close()
})

async function reachEmail(publicId: string, name = 'Ada', email = 'ada@example.com') {
  const conversation = await startConversation(createChatClient(createApiClient(server.url)), publicId)
  await conversation.reply(name)
  return { ...conversation, last: await conversation.reply(email) }
}

async function logsOf(typebotId: string, resultId: string) {
  return (await owner.call('GET', `/v1/typebots/${typebotId}/results/${resultId}/logs`)).body.logs
}

describe("Email blocks with the server's sender (SMTP_*)", () => {
  it('sends to the recipients, copies and hidden copies, with the reply-to, subject and text body', async () => {
    const before = smtp.received.length
    const { last, start } = await reachEmail('mail-text')
    expect(textsOf(last)).toEqual(['Done'])
    expect(last.body.logs).toEqual([])
    expect(smtp.received).toHaveLength(before + 1)
    const { envelope, mail } = smtp.received[before]!
    expect(envelope.to.sort()).toEqual(['ada@example.com', 'bcc@example.com', 'cc@example.com'])
    expect(mail.from?.value).toEqual([{ address: 'bot@botflow.test', name: 'Support team' }])
    expect(mail.replyTo?.value).toEqual([{ address: 'support@example.com', name: 'Support team' }])
    expect(mail.cc && !Array.isArray(mail.cc) && mail.cc.text).toBe('cc@example.com')
    expect(mail.headers.has('bcc')).toBe(false)
    expect(mail.subject).toBe('Hello Ada')
    expect(mail.text?.trim()).toBe('Hi Ada,\nthanks!')
    expect(mail.html).toBe(false)
    expect(await logsOf(ids.text ?? '', start.body.resultId)).toEqual([
      expect.objectContaining({ status: 'success', description: 'Email successfully sent' }),
    ])
  })

  it('sends an HTML body', async () => {
    const before = smtp.received.length
    await reachEmail('mail-html', 'Bob <b>')
    const { mail } = smtp.received[before]!
    expect(String(mail.html).trim()).toBe('<h1>Hi Bob <b></h1>')
  })

  it("sends the answers of the result when the body is not custom, from the server's address", async () => {
    const before = smtp.received.length
    await reachEmail('mail-answers', 'Cy', 'cy@example.com')
    const { mail, envelope } = smtp.received[before]!
    expect(envelope.to).toEqual(['owner@example.com'])
    expect(mail.from?.value).toEqual([{ address: 'bot@botflow.test', name: 'Botflow Bot' }])
    expect(String(mail.html).trim()).toBe(
      '<div><p><strong>Name</strong>: Cy</p><p><strong>Email</strong>: <a href="mailto:cy@example.com">cy@example.com</a></p></div>',
    )
  })

  it('attaches files uploaded in the conversation, read from storage', async () => {
    const { sessionId, reply, start } = await reachEmail('mail-files')
    const urls: string[] = []
    for (const [name, type, content] of [
      ['report.pdf', 'application/pdf', '%PDF-1.7 report'],
      ['photo.png', 'image/png', 'PNG bytes'],
    ] as const) {
      const generated = await createApiClient(server.url)('POST', '/v3/generate-upload-url', {
        body: { sessionId, blockId: 'file1', fileName: name, fileType: type },
      })
      const form = new FormData()
      for (const [key, value] of Object.entries<string>(generated.body.formData)) form.append(key, value)
      form.append('file', new Blob([content], { type }))
      expect((await fetch(generated.body.presignedUrl, { method: 'POST', body: form })).status).toBe(204)
      urls.push(generated.body.fileUrl)
    }
    const before = smtp.received.length
    expect(textsOf(await reply({ type: 'text', text: urls.join(', ') }))).toEqual(['Done'])
    const { mail } = smtp.received[before]!
    expect(mail.attachments.map((file) => [file.filename, file.contentType, file.content.toString()])).toEqual([
      ['report.pdf', 'application/pdf', '%PDF-1.7 report'],
      ['photo.png', 'image/png', 'PNG bytes'],
    ])
    expect(start.body.resultId).toBeDefined()
  })

  it('refuses attachments that are not files of this typebot, and never fetches them', async () => {
    const before = smtp.received.length
    const { last, start } = await reachEmail('mail-forged')
    expect(textsOf(last)).toEqual(['Done'])
    expect(smtp.received).toHaveLength(before)
    expect(await logsOf(ids.forged ?? '', start.body.resultId)).toEqual([
      expect.objectContaining({
        status: 'error',
        description: 'Email not sent',
        details: 'Invalid email attachment URL: https://evil.example/secret.pdf',
      }),
    ])
  })

  it('never sends from a preview session', async () => {
    const before = smtp.received.length
    const preview = await startPreview(owner, ids.text ?? '')
    await preview.reply('Ada')
    const last = await preview.reply('ada@example.com')
    expect(textsOf(last)).toEqual(['Done'])
    expect(last.body.logs).toEqual([{ status: 'info', description: 'Emails are not sent in preview mode' }])
    expect(smtp.received).toHaveLength(before)
  })
})

describe('SMTP failures', () => {
  it('logs a refused login on the result and the flow goes on', async () => {
    const failing = await startTestServer({
      ...smtp.env,
      SMTP_PASSWORD: 'wrong',
    })
    try {
      const failingOwner = await createTestUser(failing)
      const [typebotId = ''] = await importAndPublish(failingOwner, [
        { fixture: mailBot('auth', emailBlock({ subject: 'x', isCustomBody: true, body: 'x' })), publicId: 'mail-auth' },
      ])
      const chat = createChatClient(createApiClient(failing.url))
      const conversation = await startConversation(chat, 'mail-auth')
      await conversation.reply('Ada')
      const last = await conversation.reply('ada@example.com')
      expect(textsOf(last)).toEqual(['Done'])
      const logs = (await failingOwner.call('GET', `/v1/typebots/${typebotId}/results/${conversation.start.body.resultId}/logs`)).body.logs
      expect(logs).toEqual([
        expect.objectContaining({ status: 'error', description: 'Email not sent', details: expect.stringMatching(/Invalid login: 535/) }),
      ])
      expect(JSON.stringify(logs)).not.toContain('wrong')
    } finally {
      await failing.close()
    }
  })

  it('logs a server that is down and the flow goes on', async () => {
    const down = await startFakeSmtp()
    const port = String(down.port)
    await down.close()
    const failing = await startTestServer({ SMTP_HOST: '127.0.0.1', SMTP_PORT: port, SMTP_FROM: 'bot@botflow.test' })
    try {
      const failingOwner = await createTestUser(failing)
      const [typebotId = ''] = await importAndPublish(failingOwner, [
        { fixture: mailBot('down', emailBlock({ subject: 'x', isCustomBody: true, body: 'x' })), publicId: 'mail-down' },
      ])
      const conversation = await startConversation(createChatClient(createApiClient(failing.url)), 'mail-down')
      await conversation.reply('Ada')
      expect(textsOf(await conversation.reply('ada@example.com'))).toEqual(['Done'])
      const logs = (await failingOwner.call('GET', `/v1/typebots/${typebotId}/results/${conversation.start.body.resultId}/logs`)).body.logs
      expect(logs).toEqual([
        expect.objectContaining({ status: 'error', description: 'Email not sent', details: expect.stringMatching(/ECONNREFUSED/) }),
      ])
    } finally {
      await failing.close()
    }
  })

  it('logs that SMTP is not configured when there is no sender at all', async () => {
    const bare = await startTestServer()
    try {
      const bareOwner = await createTestUser(bare)
      const [typebotId = ''] = await importAndPublish(bareOwner, [
        { fixture: mailBot('bare', emailBlock({ subject: 'x', isCustomBody: true, body: 'x' })), publicId: 'mail-bare' },
      ])
      const conversation = await startConversation(createChatClient(createApiClient(bare.url)), 'mail-bare')
      await conversation.reply('Ada')
      expect(textsOf(await conversation.reply('ada@example.com'))).toEqual(['Done'])
      const logs = (await bareOwner.call('GET', `/v1/typebots/${typebotId}/results/${conversation.start.body.resultId}/logs`)).body.logs
      expect(logs).toEqual([
        expect.objectContaining({
          status: 'error',
          description: 'Email not sent',
          details: expect.stringMatching(/^SMTP is not configured/),
        }),
      ])
    } finally {
      await bare.close()
    }
  })
})

describe("Email blocks with the workspace's smtp credentials", () => {
  const credentialsData = () => ({
    host: smtp.host,
    port: smtp.port,
    username: 'bot',
    password: 'secret-pass',
    isTlsEnabled: false,
    from: { email: 'team@workspace.test', name: 'Workspace team' },
  })

  async function serverWithCredentials(env: Record<string, string>) {
    const started = await startTestServer(env)
    const user = await createTestUser(started)
    const created = await user.call('POST', `/v1/workspaces/${user.workspaceId}/credentials`, {
      body: { type: 'smtp', name: 'Workspace SMTP', data: credentialsData() },
    })
    expect(created.status, JSON.stringify(created.body)).toBe(200)
    return { started, user, credentialsId: created.body.credentials.id as string }
  }

  it("sends through the credentials the block names, or the workspace's only ones for an unknown id", async () => {
    const { started, user, credentialsId } = await serverWithCredentials({ ALLOW_PRIVATE_HTTP_TARGETS: 'true' })
    try {
      const [named = '', imported = ''] = await importAndPublish(user, [
        {
          fixture: mailBot('named', emailBlock({ credentialsId, subject: 'Named', isCustomBody: true, body: 'x' })),
          publicId: 'smtp-named',
        },
        {
          fixture: mailBot(
            'imported',
            emailBlock({ credentialsId: 'id-from-another-database', subject: 'Imported', isCustomBody: true, body: 'x' }),
          ),
          publicId: 'smtp-imported',
        },
      ])
      for (const [publicId, typebotId, subject] of [
        ['smtp-named', named, 'Named'],
        ['smtp-imported', imported, 'Imported'],
      ] as const) {
        const before = smtp.received.length
        const conversation = await startConversation(createChatClient(createApiClient(started.url)), publicId)
        await conversation.reply('Ada')
        expect(textsOf(await conversation.reply('ada@example.com'))).toEqual(['Done'])
        const { mail } = smtp.received[before]!
        expect(mail.subject).toBe(subject)
        expect(mail.from?.value).toEqual([{ address: 'team@workspace.test', name: 'Workspace team' }])
        const logs = (await user.call('GET', `/v1/typebots/${typebotId}/results/${conversation.start.body.resultId}/logs`)).body.logs
        expect(logs).toEqual([expect.objectContaining({ status: 'success', description: 'Email successfully sent' })])
        expect(JSON.stringify(logs)).not.toContain('secret-pass')
      }
    } finally {
      await started.close()
    }
  })

  it('refuses an SMTP host on a private address like any outgoing request, and the flow goes on', async () => {
    const { started, user, credentialsId } = await serverWithCredentials({})
    try {
      const [typebotId = ''] = await importAndPublish(user, [
        {
          fixture: mailBot('private', emailBlock({ credentialsId, subject: 'x', isCustomBody: true, body: 'x' })),
          publicId: 'smtp-private',
        },
      ])
      const before = smtp.received.length
      const conversation = await startConversation(createChatClient(createApiClient(started.url)), 'smtp-private')
      await conversation.reply('Ada')
      expect(textsOf(await conversation.reply('ada@example.com'))).toEqual(['Done'])
      expect(smtp.received).toHaveLength(before)
      const logs = (await user.call('GET', `/v1/typebots/${typebotId}/results/${conversation.start.body.resultId}/logs`)).body.logs
      expect(logs).toEqual([
        expect.objectContaining({
          status: 'error',
          description: 'Email not sent',
          details: expect.stringMatching(/^SMTP host refused: loopback address/),
        }),
      ])
    } finally {
      await started.close()
    }
  })
})
