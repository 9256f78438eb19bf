import { element } from '../chat-view.js'
import { forgetPaymentInProgress } from '../payment-redirect.js'
import { createInputForm, createSendButton, type InputRenderer, readString, textMessage } from './input-context.js'

/** The part of Stripe.js (loaded from Stripe, as Typebot's embed does) this page uses. */
type StripeJs = {
  elements(options: { clientSecret: string; appearance?: Record<string, unknown> }): StripeElements
  confirmPayment(options: {
    elements: StripeElements
    confirmParams: { return_url: string; payment_method_data?: Record<string, unknown> }
    redirect: 'if_required'
  }): Promise<{ error?: { type?: string; message?: string }; paymentIntent?: { status?: string } }>
}
type StripeElements = { create(type: 'payment', options?: Record<string, unknown>): { mount(target: HTMLElement): void } }

declare global {
  interface Window {
    Stripe?: (publicKey: string) => StripeJs
  }
}

const stripeJsUrl = 'https://js.stripe.com/v3/'
let stripeJs: Promise<void> | undefined

/**
 * Payment: Stripe's payment element for the PaymentIntent the server created, a Pay button with
 * the amount, and the reply "Success" (or the block's label) once Stripe says it is paid. The
 * server checks with Stripe before it accepts the reply.
 */
export const renderPaymentInput: InputRenderer = (input, context) => {
  const runtime = input.runtimeOptions
  const secret = typeof runtime?.paymentIntentSecret === 'string' ? runtime.paymentIntentSecret : undefined
  const publicKey = typeof runtime?.publicKey === 'string' ? runtime.publicKey : undefined
  if (!secret || !publicKey) {
    const notice = element('div', 'bf-input bf-notice', 'Payment is not available right now.')
    notice.setAttribute('role', 'status')
    return notice
  }
  const options = input.options
  const amountLabel = typeof runtime?.amountLabel === 'string' ? runtime.amountLabel : ''
  let stripe: StripeJs | undefined
  let elements: StripeElements | undefined
  let isPaying = false

  const form = createInputForm('bf-input-payment', () => void pay())
  const mountPoint = element('div', 'bf-payment-element')
  const message = element('p', 'bf-file-error')
  message.setAttribute('role', 'alert')
  const button = createSendButton(`${readString(options, 'labels', 'button') ?? 'Pay'} ${amountLabel}`.trim())
  button.disabled = true
  form.append(mountPoint, button, message)

  void loadStripeJs().then(
    () => {
      if (!window.Stripe) throw new Error('Stripe.js did not load')
      stripe = window.Stripe(publicKey)
      const color = getComputedStyle(document.documentElement).getPropertyValue('--bf-button-bg').trim()
      elements = stripe.elements({
        clientSecret: secret,
        appearance: { theme: 'stripe', ...(color ? { variables: { colorPrimary: color } } : {}) },
      })
      elements.create('payment', { layout: 'tabs' }).mount(mountPoint)
      button.disabled = false
    },
    () => {
      message.textContent = 'The payment form could not be loaded.'
    },
  )

  async function pay() {
    if (!stripe || !elements || isPaying) return
    isPaying = true
    button.disabled = true
    message.textContent = ''
    const details = billingDetailsOf(options)
    context.rememberPaymentInProgress?.()
    const { error, paymentIntent } = await stripe.confirmPayment({
      elements,
      confirmParams: { return_url: location.href, ...(details ? { payment_method_data: { billing_details: details } } : {}) },
      redirect: 'if_required',
    })
    forgetPaymentInProgress()
    isPaying = false
    button.disabled = false
    if (error) {
      if (error.type !== 'validation_error') message.textContent = error.message ?? 'The payment failed.'
      return
    }
    if (paymentIntent?.status === 'succeeded') {
      const label = readString(options, 'labels', 'success') ?? 'Success'
      context.submit({ message: textMessage(label), guestText: label })
    }
  }

  return form
}

function loadStripeJs(): Promise<void> {
  stripeJs ??= new Promise<void>((resolve, reject) => {
    const script = document.createElement('script')
    script.src = stripeJsUrl
    script.addEventListener('load', () => resolve())
    script.addEventListener('error', () => {
      stripeJs = undefined
      reject(new Error('Stripe.js could not be loaded'))
    })
    document.head.append(script)
  })
  return stripeJs
}

/** The name, e-mail, phone and address the block gives, as Stripe's billing details. */
function billingDetailsOf(options: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  const info = (...path: string[]) => readString(options, 'additionalInformation', ...path)
  const address = Object.fromEntries(
    (['country', 'line1', 'line2', 'state', 'city', 'postalCode'] as const).flatMap((field) => {
      const value = info('address', field)
      return value ? [[field === 'postalCode' ? 'postal_code' : field, value]] : []
    }),
  )
  const details = {
    ...(info('name') ? { name: info('name') } : {}),
    ...(info('email') ? { email: info('email') } : {}),
    ...(info('phoneNumber') ? { phone: info('phoneNumber') } : {}),
    ...(Object.keys(address).length > 0 ? { address } : {}),
  }
  return Object.keys(details).length > 0 ? details : undefined
}
