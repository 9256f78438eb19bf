import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importAndPublish } from '../helpers/chat-fixtures.js'
import { type FakeStripe, startFakeStripe } from '../helpers/fake-stripe-server.js'
import { buildTypebot, text } from '../helpers/flow-builder.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { createTestUser } from '../helpers/users.js'
import { type Browser, buildWebAssets, eventually, launchBrowser, openWatchedPage } from './browser.js'

let server: TestServer
let browser: Browser
let stripe: FakeStripe

/**
 * Stripe.js as the page loads it from js.stripe.com (not reachable from the tests): a payment
 * element stand-in, and a confirmPayment that pays the PaymentIntent on the fake Stripe API.
 */
function fakeStripeJs(stripeUrl: string) {
  return `window.stripeCalls = [];
window.Stripe = (publicKey) => {
  let clientSecret;
  window.stripeCalls.push(['Stripe', publicKey]);
  return {
    elements(options) {
      clientSecret = options.clientSecret;
      window.stripeCalls.push(['elements', options.clientSecret]);
      return { create(type) { return { mount(target) {
        const card = document.createElement('div');
        card.className = 'fake-card';
        card.textContent = 'Card 4242 4242 4242 4242';
        target.append(card);
      } } } };
    },
    async confirmPayment(options) {
      window.stripeCalls.push(['confirmPayment', options.redirect, options.confirmParams.payment_method_data]);
      await fetch(${JSON.stringify(`${stripeUrl}/test/pay`)}, { method: 'POST', body: JSON.stringify({ clientSecret }) });
      return { paymentIntent: { status: 'succeeded' } };
    },
  };
};`
}

beforeAll(async () => {
  buildWebAssets()
  stripe = await startFakeStripe()
  server = await startTestServer({ STRIPE_API_BASE: stripe.url })
  const owner = await createTestUser(server)
  const created = await owner.call('POST', `/v1/workspaces/${owner.workspaceId}/credentials`, {
    body: { type: 'stripe', name: 'Shop', data: { live: { secretKey: 'sk_live_1', publicKey: 'pk_live_1' } } },
  })
  expect(created.status, JSON.stringify(created.body)).toBe(200)
  const document = buildTypebot({
    groups: [
      {
        id: 'g1',
        title: 'Pay',
        blocks: [
          text('t1', 'Your order: 19 USD'),
          { id: 'pay', type: 'payment input', options: { amount: '19', additionalInformation: { name: 'Ada', email: 'ada@example.com' } } },
        ],
        next: 'g2',
      },
      { id: 'g2', title: 'Thanks', blocks: [text('t2', 'Payment received')] },
    ],
    variables: [],
  })
  await importAndPublish(owner, [{ fixture: { ...document, settings: { typingEmulation: { enabled: false } } }, publicId: 'pay-page' }])
  browser = await launchBrowser()
}, 60_000)
afterAll(async () => {
  await browser?.close()
  await server?.close()
  await stripe?.close()
})

describe('payment input on the chat page', () => {
  it("shows Stripe's payment element, pays, and the server accepts the payment Stripe confirms", { timeout: 60_000 }, async () => {
    const { page, errors } = await openWatchedPage(browser.context, server.url)
    await page.route('https://js.stripe.com/v3/**', (route) =>
      route.fulfill({ status: 200, contentType: 'text/javascript', body: fakeStripeJs(stripe.url) }),
    )
    await page.goto(`${server.url}/pay-page`)
    await page.locator('.fake-card').waitFor()
    const pay = page.getByRole('button', { name: 'Pay $19.00' })
    await pay.click()
    const log = page.getByRole('log')
    await eventually(() => log.locator('.bf-bubble-host').last().innerText()).toBe('Payment received')
    expect(await log.locator('.bf-bubble-guest').last().innerText()).toBe('Success')
    const calls = await page.evaluate(() => (window as unknown as { stripeCalls: unknown[] }).stripeCalls)
    const secret = [...stripe.intents.values()][0]?.client_secret
    expect(calls).toEqual([
      ['Stripe', 'pk_live_1'],
      ['elements', secret],
      ['confirmPayment', 'if_required', { billing_details: { name: 'Ada', email: 'ada@example.com' } }],
    ])
    expect(errors).toEqual([])
  })
})
