import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { EmailBlock } from '../../../schemas/blocks/integrations.js'
import { emailBlockSchema } from '../../../schemas/blocks/integrations.js'
import { migrateTypebot } from '../../../schemas/migrate-typebot.js'
import type { EffectRequest, EffectResult, Variable } from '../../types.js'
import { emailHandler } from './email-handler.js'
import type { TestContextOptions } from './test-context.js'
import { createTestContext, driveEffects, noEffectExpected } from './test-context.js'

const fixturesDir = new URL('../../../../test/fixtures/reference/typebots/', import.meta.url)

function sendEmailFixtureBlock(): EmailBlock {
  const document = migrateTypebot(JSON.parse(readFileSync(new URL('sendEmail.json', fixturesDir), 'utf8'))) as {
    groups: { blocks: { type: string }[] }[]
  }
  return emailBlockSchema.parse(document.groups.flatMap((group) => group.blocks).find((block) => block.type === 'Email'))
}

function emailBlock(options: Record<string, unknown>): EmailBlock {
  return emailBlockSchema.parse({
    id: 'email1',
    type: 'Email',
    options: { credentialsId: 'default', recipients: ['to@example.com'], ...options },
  })
}

function send(block: EmailBlock, contextOptions: TestContextOptions = {}, result: EffectResult = { type: 'sendEmail', ok: true }) {
  return driveEffects(emailHandler.execute(block, createTestContext(contextOptions)), () => result)
}

function sentEmail(requests: EffectRequest[]) {
  expect(requests).toHaveLength(1)
  const [request] = requests
  if (request?.type !== 'sendEmail') throw new Error('expected a sendEmail effect')
  return request.email
}

describe('Email block', () => {
  it('sends the sendEmail.json email with its recipients, copies, reply-to and text body', () => {
    const { requests } = send(sendEmailFixtureBlock())
    expect(sentEmail(requests)).toEqual({
      to: ['baptiste.arnaud95@gmail.com'],
      cc: ['test1@gmail.com', 'test2@gmail.com'],
      bcc: ['test3@gmail.com', 'test4@gmail.com'],
      replyTo: 'contact@baptiste-arnaud.fr',
      subject: 'Hey!',
      text: 'Test email',
    })
  })

  it('logs "Email not sent" with the reason when the server cannot send', () => {
    const { value } = send(sendEmailFixtureBlock(), {}, { type: 'sendEmail', ok: false, error: 'SMTP is not configured' })
    expect(value).toEqual({ logs: [{ status: 'error', description: 'Email not sent', details: 'SMTP is not configured' }] })
  })

  it('logs "Email successfully sent" when it was sent', () => {
    const { value } = send(sendEmailFixtureBlock())
    expect(value.logs).toEqual([
      {
        status: 'success',
        description: 'Email successfully sent',
        details: JSON.stringify({
          to: ['baptiste.arnaud95@gmail.com'],
          cc: ['test1@gmail.com', 'test2@gmail.com'],
          bcc: ['test3@gmail.com', 'test4@gmail.com'],
          replyTo: 'contact@baptiste-arnaud.fr',
          subject: 'Hey!',
        }),
      },
    ])
  })

  it.each([
    [
      'in preview',
      emailBlock({ body: 'x' }),
      { isPreview: true },
      { logs: [{ status: 'info', description: 'Emails are not sent in preview mode' }] },
    ],
    ['without recipients', emailBlock({ recipients: [], body: 'x' }), {}, {}],
    [
      'with an empty body',
      emailBlock({ isCustomBody: true, body: '{{Unset}}' }),
      { variables: [{ id: 'v', name: 'Unset' }] },
      { logs: [{ status: 'error', description: 'Email not sent', details: 'No email body found' }] },
    ],
  ])('does not send %s', (_title, block, contextOptions, expected) => {
    const { value, requests } = driveEffects(emailHandler.execute(block, createTestContext(contextOptions)), noEffectExpected)
    expect(requests).toEqual([])
    expect(value).toEqual(expected)
  })

  const variables: Variable[] = [
    { id: 'v1', name: 'Email', value: 'a@example.com, b@example.com' },
    { id: 'v2', name: 'Name', value: 'Jo <admin>' },
    { id: 'v3', name: 'Message', value: 'line 1\nline 2' },
    { id: 'v4', name: 'Lines', value: ['one', 'two'] },
  ]

  it('substitutes recipients (splitting comma lists), reply-to and subject', () => {
    const block = emailBlock({
      recipients: ['{{Email}}', 'c@example.com'],
      replyTo: '{{Name}} <reply@example.com>',
      subject: 'Hello {{Name}}',
      body: 'x',
    })
    const email = sentEmail(send(block, { variables }).requests)
    expect(email).toMatchObject({
      to: ['a@example.com', 'b@example.com', 'c@example.com'],
      replyTo: 'Jo <admin> <reply@example.com>',
      subject: 'Hello Jo <admin>',
    })
  })

  it.each([
    ['a text body substituted with HTML escaping', { body: 'Hi {{Name}}' }, { text: 'Hi Jo &lt;admin&gt;' }],
    ['a code body as HTML without escaping', { body: '<p>{{Name}}</p>', isBodyCode: true }, { html: '<p>Jo <admin></p>' }],
    ['a body that is one variable, line breaks as <br />', { body: '{{Message}}' }, { text: 'line 1<br />line 2' }],
    ['a body that is one list variable, items joined by <br />', { body: '{{Lines}}' }, { text: 'one<br />two' }],
  ])('sends %s', (_title, options, expectedBody) => {
    const email = sentEmail(send(emailBlock(options), { variables }).requests)
    expect({ text: email.text, html: email.html }).toEqual({ text: undefined, html: undefined, ...expectedBody })
  })

  it("asks for the block's credentials, or the server's sender without them, for this typebot and result", () => {
    const withCredentials = send(emailBlock({ body: 'x', credentialsId: 'cred1' })).requests[0]
    expect(withCredentials).toMatchObject({
      sender: { workspaceId: 'workspace1', credentialsId: 'cred1' },
      origin: { typebotId: 'typebot1', resultId: 'result1' },
    })
    const block = emailBlockSchema.parse({ id: 'e', type: 'Email', options: { recipients: ['a@b.c'], body: 'x' } })
    const withoutCredentials = send(block).requests[0]
    expect(withoutCredentials?.type === 'sendEmail' && withoutCredentials.sender).not.toHaveProperty('credentialsId')
  })

  it('attaches the files listed by the attachments variable', () => {
    const files = [
      { id: 'f1', name: 'Files', value: 'https://bot.example/api/v1/files/c1/a.pdf, https://bot.example/api/v1/files/c2/b.png' },
      { id: 'f2', name: 'List', value: ['https://bot.example/api/v1/files/c3/c.txt', null] },
    ]
    expect(sentEmail(send(emailBlock({ body: 'x', attachmentsVariableId: 'f1' }), { variables: files }).requests).attachmentUrls).toEqual([
      'https://bot.example/api/v1/files/c1/a.pdf',
      'https://bot.example/api/v1/files/c2/b.png',
    ])
    expect(sentEmail(send(emailBlock({ body: 'x', attachmentsVariableId: 'f2' }), { variables: files }).requests).attachmentUrls).toEqual([
      'https://bot.example/api/v1/files/c3/c.txt',
    ])
  })

  it('sends an HTML summary of answers and variables when the body is not custom', () => {
    const block = emailBlock({ isCustomBody: false, body: 'ignored' })
    const email = sentEmail(
      send(block, { variables: [{ id: 'v2', name: 'Name', value: 'Jo <admin>' }], answers: [{ key: 'Age', value: '30' }] }).requests,
    )
    expect(email.text).toBeUndefined()
    expect(email.html).toBe('<div><p><strong>Age</strong>: 30</p><p><strong>Name</strong>: Jo &lt;admin&gt;</p></div>')
  })

  it('links e-mail addresses and keeps line breaks in the summary, as Typebot does', () => {
    const block = emailBlock({ isCustomBody: false })
    const answers = [
      { key: 'Email', value: 'jo@example.com' },
      { key: 'Message', value: 'a\nb' },
    ]
    expect(sentEmail(send(block, { answers }).requests).html).toBe(
      '<div><p><strong>Email</strong>: <a href="mailto:jo@example.com">jo@example.com</a></p><p><strong>Message</strong>: a<br />b</p></div>',
    )
  })
})
