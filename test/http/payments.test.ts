import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiClient } from '../helpers/api-client.js'
import { createChatClient, startConversation, startPreview, textsOf } from '../helpers/chat-conversation.js'
import { importAndPublish } from '../helpers/chat-fixtures.js'
import { type FakeSmtp, startFakeSmtp } from '../helpers/fake-smtp-server.js'
import { type FakeStripe, startFakeStripe } from '../helpers/fake-stripe-server.js'
import { buildTypebot, text, textInput } from '../helpers/flow-builder.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { createTestUser, type TestUser } from '../helpers/users.js'

let stripe: FakeStripe
let smtp: FakeSmtp
let server: TestServer
let owner: TestUser
let shopId: string

const stripeKeys = {
  live: { secretKey: 'sk_live_123', publicKey: 'pk_live_123' },
  test: { secretKey: 'sk_test_456', publicKey: 'pk_test_456' },
}

function shopBot() {
  return buildTypebot({
    groups: [
      { id: 'g1', title: 'Name', blocks: [text('t1', 'Name?'), textInput('in1', 'vName')], next: 'g2' },
      {
        id: 'g2',
        title: 'Pay',
        blocks: [
          {
            id: 'pay',
            type: 'payment input',
            options: {
              amount: '{{Price}}',
              currency: 'EUR',
              labels: { button: 'Pay', success: 'Paid!' },
              additionalInformation: { description: 'Order of {{Name}}', email: 'buyer@example.com', name: '{{Name}}' },
            },
          },
        ],
        next: 'g3',
      },
      { id: 'g3', title: 'Thanks', blocks: [text('t3', 'Thank you {{Name}}')] },
    ],
    variables: [
      { id: 'vName', name: 'Name' },
      { id: 'vPrice', name: 'Price', value: '12.5' },
    ],
  })
}

async function addStripeCredentials(user: TestUser, data: unknown = stripeKeys) {
  const created = await user.call('POST', `/v1/workspaces/${user.workspaceId}/credentials`, {
    body: { type: 'stripe', name: 'Shop', data },
  })
  expect(created.status, JSON.stringify(created.body)).toBe(200)
  expect(JSON.stringify(created.body)).not.toContain('sk_')
  return created.body.credentials.id as string
}

beforeAll(async () => {
  stripe = await startFakeStripe()
  smtp = await startFakeSmtp()
  server = await startTestServer({
    STRIPE_API_BASE: stripe.url,
    ...smtp.env,
    SMTP_FROM: 'Shop <shop@botflow.test>',
  })
  owner = await createTestUser(server)
  await addStripeCredentials(owner)
  ;[shopId = ''] = await importAndPublish(owner, [{ fixture: shopBot(), publicId: 'shop' }])
})
afterAll(async () => {
  await server?.close()
  await stripe?.close()
  await smtp?.close()
})

const chat = () => createChatClient(createApiClient(server.url))

describe('payment inputs with Stripe', () => {
  it('creates a PaymentIntent for the amount and sends the runtime options Stripe.js needs', async () => {
    const { reply } = await startConversation(chat(), 'shop')
    const asked = await reply('Ada')
    const options = asked.body.input.runtimeOptions
    const intent = [...stripe.intents.values()].find((candidate) => candidate.client_secret === options.paymentIntentSecret)
    expect(intent).toMatchObject({ amount: 1250, currency: 'eur', description: 'Order of Ada', receipt_email: 'buyer@example.com' })
    expect(options).toEqual({
      paymentIntentSecret: intent?.client_secret,
      publicKey: 'pk_live_123',
      amountLabel: expect.stringMatching(/^12,50\s€$/),
    })
    expect(stripe.calls.at(-1)).toEqual({ method: 'POST', path: '/v1/payment_intents', secretKey: 'sk_live_123' })
  })

  it('accepts the reply only once Stripe says the payment succeeded', async () => {
    const { reply } = await startConversation(chat(), 'shop')
    const asked = await reply('Ada')
    const firstSecret: string = asked.body.input.runtimeOptions.paymentIntentSecret

    // Not paid: a client saying "Success" (or anything) is refused, and a new PaymentIntent comes with the retry.
    const forged = await reply('Paid!')
    expect(textsOf(forged)).toEqual(['Payment failed. Please, try again.'])
    const secondSecret: string = forged.body.input.runtimeOptions.paymentIntentSecret
    expect(secondSecret).not.toBe(firstSecret)
    stripe.pay(firstSecret)
    expect(textsOf(await reply('Paid!'))).toEqual(['Payment failed. Please, try again.'])

    const current = await reply('fail')
    expect(textsOf(current)).toEqual(['Payment failed. Please, try again.'])
    stripe.pay(current.body.input.runtimeOptions.paymentIntentSecret)
    const paid = await reply('Paid!')
    expect(textsOf(paid)).toEqual(['Thank you Ada'])
  })

  it('pays with the test keys in preview', async () => {
    const preview = await startPreview(owner, shopId)
    const asked = await preview.reply('Ada')
    expect(asked.body.input.runtimeOptions.publicKey).toBe('pk_test_456')
    expect(stripe.calls.at(-1)?.secretKey).toBe('sk_test_456')
    stripe.pay(asked.body.input.runtimeOptions.paymentIntentSecret)
    expect(textsOf(await preview.reply('Paid!'))).toEqual(['Thank you Ada'])
    expect(stripe.calls.at(-1)).toMatchObject({ method: 'GET', secretKey: 'sk_test_456' })
  })

  it('logs a Stripe failure on the result, and then refuses every reply', async () => {
    stripe.failWith(500)
    try {
      const { reply, start } = await startConversation(chat(), 'shop')
      const asked = await reply('Ada')
      expect(asked.body.input.type).toBe('payment input')
      expect(asked.body.input).not.toHaveProperty('runtimeOptions')
      const logs = (await owner.call('GET', `/v1/typebots/${shopId}/results/${start.body.resultId}/logs`)).body.logs
      expect(logs).toEqual([
        expect.objectContaining({
          status: 'error',
          description: 'Could not create payment intent',
          details: expect.stringContaining('500'),
        }),
      ])
      expect(textsOf(await reply('Paid!'))).toEqual(['Payment failed. Please, try again.'])
    } finally {
      stripe.failWith(undefined)
    }
  })

  it('logs missing credentials when the workspace has none', async () => {
    const stranger = await createTestUser(server)
    const [typebotId = ''] = await importAndPublish(stranger, [{ fixture: shopBot(), publicId: 'shop-without-stripe' }])
    const { reply, start } = await startConversation(chat(), 'shop-without-stripe')
    const asked = await reply('Ada')
    expect(asked.body.input).not.toHaveProperty('runtimeOptions')
    const logs = (await stranger.call('GET', `/v1/typebots/${typebotId}/results/${start.body.resultId}/logs`)).body.logs
    expect(logs).toEqual([
      expect.objectContaining({ description: 'Could not create payment intent', details: expect.stringMatching(/no stripe credentials/) }),
    ])
  })
})

describe("Typebot's digital-product-payment template", () => {
  it('takes the payment, then e-mails the product', async () => {
    const template = JSON.parse(readFileSync(new URL('../fixtures/templates/digital-product-payment.json', import.meta.url), 'utf8'))
    // What the template asks once Stripe credentials exist: the e-mail input leads to "Payment".
    for (const edge of template.edges) if (edge.id === 'dstr8midu9f0x6ylyet7dljw') edge.to = { groupId: 'cl3u4leig00112e6gxbk65r7y' }
    await importAndPublish(owner, [{ fixture: template, publicId: 'digital-product' }])
    const { reply } = await startConversation(chat(), 'digital-product')
    await reply('Ada')
    await reply('Hell yes!')
    const asked = await reply('ada@example.com')
    expect(textsOf(asked)).toEqual(['Sounds good.', "You're a step away from implementing proven growth systems to your business 🚀"])
    const options = asked.body.input.runtimeOptions
    expect(options).toMatchObject({ publicKey: 'pk_live_123', amountLabel: '$9.00' })
    const before = smtp.received.length
    stripe.pay(options.paymentIntentSecret)
    const done = await reply('Success')
    expect(textsOf(done).slice(-3)).toEqual([
      "It's all good, you should have received the email!",
      'Thanks again for your visit.',
      'Bye 👋',
    ])
    expect(smtp.received).toHaveLength(before + 1)
    const { envelope, mail } = smtp.received[before]!
    expect(envelope.to).toEqual(['ada@example.com'])
    expect(mail.subject).toBe('Here is your Bullseye Framework template 🎉')
    expect(mail.text).toContain('Hey Ada,')
  })
})
